import { useMutation, type UseMutationOptions, type UseMutationResult } from '@tanstack/react-query';
import { ApiError } from './problem';

/**
 * Mutations that survive a flaky connection (a store associate on the shop floor's Wi-Fi).
 *
 * Each logical action (`op`, e.g. `task:<id>:ready`) gets ONE Idempotency-Key, kept in localStorage
 * until the server gives a final answer: a success, or a 4xx problem that retrying cannot change.
 * Until then every attempt — an automatic retry, the `online` event, the associate tapping again,
 * even after a page reload — reuses the key, so the server runs the action once and replays its
 * answer (src/platform/http/idempotency.ts). What is retried:
 *  - network failure (fetch rejects): when the browser says it is offline, wait for `online`;
 *  - 5xx and 429 (the server frees the key for them) and 409 idempotency_in_progress (first still running).
 * `idempotency_key_reused` / `idempotency_answer_unavailable` mean this key cannot serve this request:
 * the key is replaced once (the server asks for a new key) and the request sent again.
 */

/** The part of `Storage` this needs (tests pass a Map-backed one). */
export interface KeyStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** Where `online` is announced (window in the browser). */
export interface OnlineSignal {
  isOnline(): boolean;
  /** Resolves at the next `online` event (or after `maxMs`, whichever first). */
  waitOnline(maxMs: number): Promise<void>;
}

export interface IdempotentOptions {
  store?: KeyStore;
  online?: OnlineSignal;
  /** Attempts before giving up (the key stays stored, so a later retry reuses it). */
  attempts?: number;
  /** Delay before retry n (0-based). */
  backoffMs?: (attempt: number) => number;
  sleep?: (ms: number) => Promise<void>;
  newKey?: () => string;
}

const PREFIX = 'omnia.idem.';

export type FailureKind = 'retry' | 'new-key' | 'final';

/** How to react to what an attempt threw. Pure. */
export function classifyFailure(err: unknown): FailureKind {
  if (!(err instanceof ApiError)) {
    // openapi-fetch rethrows fetch's TypeError on a network failure; an AbortError is the same to us.
    return err instanceof Error && (err.name === 'TypeError' || err.name === 'AbortError') ? 'retry' : 'final';
  }
  const { status, code } = err.problem;
  if (code === 'idempotency_key_reused' || code === 'idempotency_answer_unavailable') return 'new-key';
  if (code === 'idempotency_in_progress') return 'retry';
  if (status === undefined || status === 0 || status === 429 || status >= 500) return 'retry';
  return 'final';
}

/** 0.5 s, 1 s, 2 s, 4 s … capped at 15 s. */
export function defaultBackoff(attempt: number): number {
  return Math.min(15_000, 500 * 2 ** attempt);
}

function memoryStore(): KeyStore {
  const m = new Map<string, string>();
  return {
    getItem: (k) => m.get(k) ?? null,
    setItem: (k, v) => void m.set(k, v),
    removeItem: (k) => void m.delete(k),
  };
}

let fallbackStore: KeyStore | undefined;
function defaultStore(): KeyStore {
  try {
    if (typeof localStorage !== 'undefined') return localStorage;
  } catch {
    // localStorage can throw (privacy mode): keys then live as long as the page.
  }
  return (fallbackStore ??= memoryStore());
}

function browserOnline(): OnlineSignal {
  return {
    isOnline: () => typeof navigator === 'undefined' || navigator.onLine !== false,
    waitOnline: (maxMs) =>
      new Promise<void>((resolve) => {
        if (typeof window === 'undefined') return void setTimeout(resolve, maxMs);
        const done = () => {
          clearTimeout(timer);
          window.removeEventListener('online', done);
          resolve();
        };
        const timer = setTimeout(done, maxMs);
        window.addEventListener('online', done);
      }),
  };
}

function randomKey(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

/** The key an action would be sent with now (stored, or none yet). */
export function pendingKey(op: string, store: KeyStore = defaultStore()): string | null {
  return store.getItem(PREFIX + op);
}

export async function sendIdempotent<T>(
  op: string,
  run: (headers: { 'Idempotency-Key': string }) => Promise<T>,
  options: IdempotentOptions = {},
): Promise<T> {
  const store = options.store ?? defaultStore();
  const online = options.online ?? browserOnline();
  const attempts = options.attempts ?? 6;
  const backoff = options.backoffMs ?? defaultBackoff;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const newKey = options.newKey ?? randomKey;
  const slot = PREFIX + op;

  let key = store.getItem(slot);
  if (!key) {
    key = newKey();
    store.setItem(slot, key);
  }
  let renewed = false;
  for (let attempt = 0; ; attempt++) {
    try {
      const result = await run({ 'Idempotency-Key': key });
      store.removeItem(slot);
      return result;
    } catch (err) {
      const kind = classifyFailure(err);
      if (kind === 'final') {
        store.removeItem(slot);
        throw err;
      }
      if (kind === 'new-key') {
        if (renewed) {
          store.removeItem(slot);
          throw err;
        }
        renewed = true;
        key = newKey();
        store.setItem(slot, key);
        continue;
      }
      // Retryable: the key stays stored even when we give up, so the next try is the same action.
      if (attempt + 1 >= attempts) throw err;
      const wait = backoff(attempt);
      if (!online.isOnline()) await online.waitOnline(Math.max(wait, 30_000));
      else await sleep(wait);
    }
  }
}

/**
 * TanStack Query's useMutation sending through sendIdempotent: `op(vars)` names the action,
 * `send(vars, headers)` makes the call with the Idempotency-Key header. Query's own retry is off
 * (sendIdempotent retries, with the same key), and its network mode is `always`: left to Query, an
 * offline tap would be paused before the key exists, so nothing would be kept across a reload.
 */
export function useIdempotentMutation<TData, TVars = void>(
  options: Omit<UseMutationOptions<TData, Error, TVars>, 'mutationFn' | 'retry' | 'networkMode'> & {
    op: (vars: TVars) => string;
    send: (vars: TVars, headers: { 'Idempotency-Key': string }) => Promise<TData>;
    idempotent?: IdempotentOptions;
  },
): UseMutationResult<TData, Error, TVars> {
  const { op, send, idempotent, ...rest } = options;
  return useMutation<TData, Error, TVars>({
    ...rest,
    retry: false,
    networkMode: 'always',
    mutationFn: (vars) => sendIdempotent(op(vars), (headers) => send(vars, headers), idempotent),
  });
}
