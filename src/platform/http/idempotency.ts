import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/schema.js';
import type { Clock } from '../clock.js';
import { AppError } from './problems.js';
import '../auth/tables.js';

/**
 * `Idempotency-Key` on every mutation. The key is claimed in its own short transaction before the
 * handler runs and completed with the answer afterwards:
 *  - same key, same request, answered  → the stored answer again (header `Idempotent-Replayed: true`)
 *  - same key, different request       → 422 idempotency_key_reused
 *  - same key while the first still runs → 409 idempotency_in_progress
 * A 5xx answer frees the key so the client may retry. If the process dies between the handler's
 * commit and the completion, the claim lapses after LEASE_MS and the retry runs the handler again;
 * operations that must never run twice (checkout) are also idempotent on their own key (the cart).
 * A 429 (rate limited) frees the key too: the same request may succeed after `Retry-After`.
 *
 * Stored answers are sealed (AES-256-GCM, key derived from `OMNIA_SECRET`, see auth/keyring.ts):
 * some carry a secret shown once (an API key), a bearer token (login, register) or an id that is a
 * shopper's secret (a cart), and sealing every answer is safer than deciding route by route which
 * ones do. A replay opens the answer with the current or a previous secret; one sealed by a secret
 * since dropped cannot be replayed (409 idempotency_answer_unavailable: retry with a new key).
 * The stored path is the route pattern (`/v1/carts/:id/items`), never the URL with its ids.
 */
const LEASE_MS = 60_000;
const MAX_KEY = 255;

declare module 'fastify' {
  interface FastifyRequest {
    idempotency?: { principal: string; key: string };
  }
}

function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(obj[k])}`)
    .join(',')}}`;
}

export function requestHash(method: string, url: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${url}\n${canonical(body ?? null)}`)
    .digest('hex');
}

/** Seals what the idempotency table keeps; `open` returns undefined for what it cannot read. */
export interface Sealer {
  seal(plain: string): string;
  open(sealed: string): string | undefined;
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function idempotencyHooks(db: Db, clock: Clock, sealer: Sealer) {
  async function preHandler(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const key = request.headers['idempotency-key'];
    if (typeof key !== 'string' || !MUTATING.has(request.method)) return;
    if (key.length === 0 || key.length > MAX_KEY) {
      throw new AppError('validation_failed', `Idempotency-Key must be 1..${MAX_KEY} characters`, {
        errors: [{ field: 'header:Idempotency-Key', message: 'bad length' }],
      });
    }
    const principal = request.principal?.id ?? 'anonymous';
    const hash = requestHash(request.method, request.url, request.body);
    const now = clock.now();
    const claimed = await db
      .insertInto('idempotency_keys')
      .values({
        principal,
        key,
        method: request.method,
        path: request.routeOptions.url ?? request.url.split('?')[0]!,
        request_hash: hash,
        locked_until: new Date(now.getTime() + LEASE_MS),
        status_code: null,
        response: null,
        content_type: null,
      })
      .onConflict((oc) => oc.columns(['principal', 'key']).doNothing())
      .returning('key')
      .executeTakeFirst();
    if (claimed) {
      request.idempotency = { principal, key };
      return;
    }
    const prior = await db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('principal', '=', principal)
      .where('key', '=', key)
      .executeTakeFirst();
    if (!prior) return preHandler(request, reply); // freed between our insert and select: claim again
    if (prior.request_hash !== hash) {
      throw new AppError(
        'idempotency_key_reused',
        `Idempotency-Key ${key} was first used with a different request (${prior.method} ${prior.path})`,
      );
    }
    if (prior.status_code !== null) {
      const answer = sealer.open(prior.response ?? '');
      if (answer === undefined)
        throw new AppError(
          'idempotency_answer_unavailable',
          `the first answer to Idempotency-Key ${key} was sealed with a secret this server no longer holds; retry with a new key`,
        );
      reply.header('idempotent-replayed', 'true');
      reply.code(prior.status_code).type(prior.content_type ?? 'application/json');
      return reply.send(answer) as unknown as void;
    }
    if (prior.locked_until && prior.locked_until.getTime() > now.getTime()) {
      throw new AppError(
        'idempotency_in_progress',
        `the first request with Idempotency-Key ${key} has not finished; retry shortly`,
      );
    }
    // The first attempt's process died: take the claim over.
    const taken = await db
      .updateTable('idempotency_keys')
      .set({ locked_until: new Date(now.getTime() + LEASE_MS) })
      .where('principal', '=', principal)
      .where('key', '=', key)
      .where('status_code', 'is', null)
      .where('locked_until', '=', prior.locked_until)
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) === 0)
      throw new AppError('idempotency_in_progress', `Idempotency-Key ${key} was just taken by another attempt`);
    request.idempotency = { principal, key };
  }

  async function onSend(request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
    const idem = request.idempotency;
    if (!idem) return payload;
    request.idempotency = undefined;
    const status = reply.statusCode;
    const where = db
      .updateTable('idempotency_keys')
      .where('principal', '=', idem.principal)
      .where('key', '=', idem.key);
    if (status >= 500 || status === 429) {
      await db
        .deleteFrom('idempotency_keys')
        .where('principal', '=', idem.principal)
        .where('key', '=', idem.key)
        .execute();
      return payload;
    }
    const body =
      typeof payload === 'string'
        ? payload
        : Buffer.isBuffer(payload)
          ? payload.toString('utf8')
          : payload == null
            ? ''
            : JSON.stringify(payload);
    const contentType = String(reply.getHeader('content-type') ?? 'application/json');
    await where
      .set({ status_code: status, response: sealer.seal(body), content_type: contentType, locked_until: null })
      .execute();
    return payload;
  }

  return { preHandler, onSend };
}

/** Old keys are purged by a job; a day is long enough for any client's retry loop. */
export async function purgeIdempotencyKeys(db: Db, olderThan: Date): Promise<number> {
  const res = await sql`delete from idempotency_keys where created_at < ${olderThan}`.execute(db);
  return Number(res.numAffectedRows ?? 0);
}
