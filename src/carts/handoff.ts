/**
 * A cart's cross-device hand-off, split from service.ts (house rule: files under ~400 lines): the
 * short code (and QR payload) that opens a cart once on another device or at a till, and the claim of
 * that code. CartsService.handoff and .claim call these; what follows a claim (a customer's merge,
 * re-pricing in the new channel) stays in the service.
 */
import { randomBytes } from 'node:crypto';
import type { Db, Tx } from '../platform/db/schema.js';
import type { Clock } from '../platform/clock.js';
import { inTx } from '../platform/db/tx.js';
import { emit } from '../platform/events/outbox.js';
import { AppError, isUniqueViolation, problems } from '../platform/http/problems.js';
import * as store from './store.js';
import { handoffCode, normaliseCode, qrPayload } from './rules.js';
import { assertCartAccess, assertOpen } from './view.js';
import type { CartActor, Handoff } from './types.js';

const HANDOFF_TTL_MS = 15 * 60_000;

/** What the hand-off needs from the carts service. */
export interface HandoffDeps {
  db: Db;
  clock: Clock;
  /** The cart row (404 when there is none), locked in `trx` when asked. */
  load(id: string, trx?: Tx, lock?: boolean): Promise<store.CartRow>;
}

/** A short code (and QR payload) that opens this cart on another device or at a till, once. */
export async function issueHandoff(deps: HandoffDeps, actor: CartActor, id: string): Promise<Handoff> {
  const row = await deps.load(id);
  assertCartAccess(actor, row);
  assertOpen(row);
  const now = deps.clock.now();
  const expires = new Date(now.getTime() + HANDOFF_TTL_MS);
  for (let attempt = 0; ; attempt++) {
    const code = handoffCode(randomBytes(8));
    try {
      await store.insertHandoff(deps.db, {
        code,
        cart_id: id,
        created_by: actor.id,
        created_at: now,
        expires_at: expires,
        claimed_at: null,
        claimed_by: null,
        claimed_channel_id: null,
      });
      return { code, qr_payload: qrPayload(code), cart_id: id, expires_at: expires.toISOString() };
    } catch (err) {
      if (!isUniqueViolation(err) || attempt >= 5) throw err;
    }
  }
}

/**
 * Claims a hand-off code in one transaction: the cart moves to a till's or contact-center key's
 * channel (and the till's store). Returns the cart row as it was read before that change.
 */
export async function claimHandoffCode(deps: HandoffDeps, actor: CartActor, rawCode: string): Promise<store.CartRow> {
  const code = normaliseCode(rawCode);
  if (!code) throw problems.field('code', 'is not a hand-off code (8 letters and digits)');
  const now = deps.clock.now();
  const claimChannel = actor.kind === 'staff' ? null : actor.channelId;
  return inTx(deps.db, undefined, async (trx) => {
    const h = await store.claimHandoff(trx, code, now, actor.id, claimChannel);
    if (!h) {
      const known = await store.getHandoff(trx, code);
      if (!known) throw problems.notFound('hand-off code', code);
      if (known.claimed_at)
        throw new AppError('conflict', `hand-off code ${code} was already claimed`, {
          claimed_at: known.claimed_at.toISOString(),
        });
      throw new AppError('handoff_expired', `hand-off code ${code} expired at ${known.expires_at.toISOString()}`, {
        expired_at: known.expires_at.toISOString(),
      });
    }
    const row = await deps.load(h.cart_id, trx, true);
    assertOpen(row);
    const patch: Partial<store.CartRow> = {};
    if (actor.kind === 'api_key') {
      patch.channel_id = actor.channelId;
      if (actor.locationId) patch.location_id = actor.locationId;
    } else if (actor.kind === 'staff' && actor.locationId) patch.location_id = actor.locationId;
    await store.updateCart(trx, row.id, { ...patch, updated_at: now });
    await emit(
      trx,
      {
        type: 'cart.claimed',
        aggregateId: row.id,
        payload: { cart_id: row.id, code, by: actor.id, channel: patch.channel_id ?? row.channel_id },
      },
      now,
    );
    return row;
  });
}
