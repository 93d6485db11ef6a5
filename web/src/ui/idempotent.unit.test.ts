import { describe, expect, it } from 'vitest';
import { ApiError } from './problem';
import { classifyFailure, pendingKey, sendIdempotent, type KeyStore, type OnlineSignal } from './idempotent';

function mapStore(): KeyStore & { size(): number } {
  const m = new Map<string, string>();
  return {
    getItem: (k) => m.get(k) ?? null,
    setItem: (k, v) => void m.set(k, v),
    removeItem: (k) => void m.delete(k),
    size: () => m.size,
  };
}

const netDown = () => new TypeError('Failed to fetch');
const problem = (status: number, code?: string) => new ApiError({ status, ...(code ? { code } : {}) });
let n = 0;
const keys = () => `k${++n}`;
const noSleep = async () => {};

describe('classifyFailure', () => {
  it('retries network failures, 5xx, 429 and an in-progress key; other 4xx are final', () => {
    expect(classifyFailure(netDown())).toBe('retry');
    expect(classifyFailure(problem(503))).toBe('retry');
    expect(classifyFailure(problem(429, 'rate_limited'))).toBe('retry');
    expect(classifyFailure(problem(409, 'idempotency_in_progress'))).toBe('retry');
    expect(classifyFailure(problem(409, 'conflict'))).toBe('final');
    expect(classifyFailure(problem(422, 'validation_failed'))).toBe('final');
    expect(classifyFailure(problem(422, 'idempotency_key_reused'))).toBe('new-key');
    expect(classifyFailure(new Error('bug'))).toBe('final');
  });
});

describe('sendIdempotent', () => {
  it('sends every retry with the same key and forgets it on success', async () => {
    const store = mapStore();
    const seen: string[] = [];
    const result = await sendIdempotent(
      'task:1:ready',
      async (h) => {
        seen.push(h['Idempotency-Key']);
        if (seen.length < 3) throw seen.length === 1 ? netDown() : problem(502);
        return 'ok';
      },
      { store, sleep: noSleep, newKey: keys },
    );
    expect(result).toBe('ok');
    expect(seen).toHaveLength(3);
    expect(new Set(seen).size).toBe(1);
    expect(pendingKey('task:1:ready', store)).toBeNull();
  });

  it('keeps the key after giving up, and the next try of the same action reuses it', async () => {
    const store = mapStore();
    const seen: string[] = [];
    const failing = async (h: { 'Idempotency-Key': string }) => {
      seen.push(h['Idempotency-Key']);
      throw netDown();
    };
    await expect(
      sendIdempotent('task:2:accept', failing, { store, sleep: noSleep, attempts: 2, newKey: keys }),
    ).rejects.toThrow('Failed to fetch');
    const stored = pendingKey('task:2:accept', store);
    expect(stored).toBe(seen[0]);
    const again = await sendIdempotent('task:2:accept', async (h) => h['Idempotency-Key'], { store, newKey: keys });
    expect(again).toBe(stored);
    expect(store.size()).toBe(0);
  });

  it('drops the key on a final 4xx so the next action gets a new one', async () => {
    const store = mapStore();
    await expect(
      sendIdempotent(
        'task:3:pick',
        async () => {
          throw problem(409, 'wrong_item');
        },
        { store, sleep: noSleep, newKey: keys },
      ),
    ).rejects.toBeInstanceOf(ApiError);
    expect(pendingKey('task:3:pick', store)).toBeNull();
  });

  it('replaces a key the server refuses for this request, once', async () => {
    const store = mapStore();
    const seen: string[] = [];
    const ok = await sendIdempotent(
      'task:4:pack',
      async (h) => {
        seen.push(h['Idempotency-Key']);
        if (seen.length === 1) throw problem(422, 'idempotency_key_reused');
        return 'packed';
      },
      { store, sleep: noSleep, newKey: keys },
    );
    expect(ok).toBe('packed');
    expect(seen[0]).not.toBe(seen[1]);
  });

  it('waits for the online event instead of sleeping while offline', async () => {
    const store = mapStore();
    let online = false;
    let waited = 0;
    const signal: OnlineSignal = {
      isOnline: () => online,
      waitOnline: async () => {
        waited++;
        online = true;
      },
    };
    let calls = 0;
    const slept: number[] = [];
    const r = await sendIdempotent(
      'task:5:ship',
      async () => {
        if (++calls === 1) throw netDown();
        return calls;
      },
      { store, online: signal, sleep: async (ms) => void slept.push(ms), newKey: keys },
    );
    expect(r).toBe(2);
    expect(waited).toBe(1);
    expect(slept).toEqual([]);
  });
});
