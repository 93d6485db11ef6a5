import rateLimit, { type CreateRateLimitOptions } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RateLimitConfig } from '../config.js';
import { AppError } from './problems.js';

/**
 * Rate limits a route declares: `config: { throttle: [rule, …] }`. Every rule counts the request in
 * its own bucket (the client IP, or a key the rule reads from the request such as the email being
 * logged in to); when any bucket is over its limit the request is refused with `429 rate_limited`
 * and `Retry-After` before the handler (or the idempotency claim) runs.
 *
 * Counting is done by `@fastify/rate-limit` (its in-memory store, real time): limits hold per process,
 * so N API processes admit up to N times the limit, and the injected clock does not move them.
 * The rules run in `preValidation`, after authentication and body parsing but before the schema
 * check, so a `by` function reads an unvalidated body and must not trust its shape.
 *
 * Example (the pickup-code handover): `config: { auth: …, throttle: [
 *   { bucket: 'handover:fulfillment', by: (req) => (req.params as { id?: string }).id,
 *     limit: { max: 5, windowMs: 60_000 } },
 *   { bucket: 'handover:ip', by: 'ip', limit: { max: 30, windowMs: 60_000 } } ] }`
 */
export interface ThrottleRule {
  /** Names the bucket; routes that name the same bucket and key share their count. */
  bucket: string;
  /** What is counted: the client IP, or a key read from the request (undefined: this rule does not apply). */
  by: 'ip' | ((req: FastifyRequest) => string | undefined);
  /** A limit from the configuration (`OMNIA_*` settings) or a fixed one. */
  limit: Exclude<keyof RateLimitConfig, 'windowMs'> | { max: number; windowMs: number };
}

/**
 * Keys each bucket remembers (an LRU per rule; the plugin's default is 5,000). An evicted key starts
 * counting again, so the LRU must hold every key active in one window: 50,000 IPs or emails a
 * minute is far past any honest load, and costs a few MB.
 */
const BUCKET_KEYS = 50_000;

declare module 'fastify' {
  interface FastifyContextConfig {
    throttle?: ThrottleRule[];
  }
}

/** The request's email field, normalised, for per-account login limits (the body is not validated yet). */
export function emailOf(req: FastifyRequest): string | undefined {
  const email = (req.body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' ? email.trim().toLowerCase().slice(0, 320) : undefined;
}

/** Registers the counter and turns every route's `config.throttle` into a preValidation hook. */
// Any Fastify instance (not app.ts's App type): app.ts calls this, so importing from it would be a cycle.
export async function registerThrottles(app: FastifyInstance, limits: RateLimitConfig): Promise<void> {
  await app.register(rateLimit, { global: false });
  app.addHook('onRoute', (route) => {
    const rules = route.config?.throttle;
    if (!rules?.length) return;
    const checks = rules.map((rule) => {
      const { max, windowMs } =
        typeof rule.limit === 'string' ? { max: limits[rule.limit], windowMs: limits.windowMs } : rule.limit;
      const keyOf = (req: FastifyRequest) => (rule.by === 'ip' ? req.ip : rule.by(req));
      const options: CreateRateLimitOptions & { cache: number } = {
        max,
        timeWindow: windowMs,
        keyGenerator: (req) => `${rule.bucket}:${keyOf(req) ?? ''}`,
        cache: BUCKET_KEYS,
      };
      const check = app.createRateLimit(options);
      return { rule, keyOf, check };
    });
    const hook = async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
      // Every bucket counts the attempt, refused or not, so an attacker's tries all add up.
      let refusal: { bucket: string; retryAfter: number } | undefined;
      for (const { rule, keyOf, check } of checks) {
        if (keyOf(req) === undefined) continue;
        const res = await check(req);
        if (!res.isAllowed && res.isExceeded && res.ttlInSeconds >= (refusal?.retryAfter ?? 0))
          refusal = { bucket: rule.bucket, retryAfter: res.ttlInSeconds };
      }
      if (refusal) {
        reply.header('retry-after', String(refusal.retryAfter));
        throw new AppError('rate_limited', `too many attempts; retry in ${refusal.retryAfter} s`, {
          retry_after: refusal.retryAfter,
          limit: refusal.bucket,
        });
      }
    };
    const existing = route.preValidation;
    route.preValidation = existing ? [...(Array.isArray(existing) ? existing : [existing]), hook] : [hook];
  });
}
