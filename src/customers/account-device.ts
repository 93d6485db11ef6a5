/** What a login on a device brings along (issue 16): its anonymous history and its anonymous cart. */
import type { Db } from '../platform/db/schema.js';
import type { Clock } from '../platform/clock.js';
import { inTx } from '../platform/db/tx.js';
import { identifyInTx } from './identity.js';
import { normaliseIdentifier } from './rules.js';

/** What a device knows about its shopper before login. */
export interface DeviceContext {
  cart_id?: string | undefined;
  anonymous_id?: string | undefined;
  device_id?: string | undefined;
}

/**
 * After a login on a device: its anonymous and device ids are linked to the person (their past
 * events attach and count), and its anonymous cart merges into the person's. Each is its own
 * transaction and neither fails the login: a cart that is not anonymous or not this channel's
 * simply stays where it is.
 */
export async function joinDevice(
  db: Db,
  clock: Clock,
  deps: {
    mergeCart?(cartId: string, customerId: string, channelId: string): Promise<unknown>;
    nudge?: () => void;
  },
  customerId: string,
  d: DeviceContext & { channelId: string },
): Promise<{ cart: boolean; history: boolean }> {
  const merged = { cart: false, history: false };
  const weak = [
    ...(d.anonymous_id ? [{ kind: 'anonymous_id' as const, value: d.anonymous_id }] : []),
    ...(d.device_id ? [{ kind: 'device_id' as const, value: d.device_id }] : []),
  ];
  const normalised = weak.map((w) => ({ kind: w.kind, n: normaliseIdentifier(w.kind, w.value) }));
  const valid = normalised.flatMap((w) => ('value' in w.n ? [{ kind: w.kind, value: w.n.value }] : []));
  if (valid.length) {
    const at = clock.now();
    merged.history = await inTx(db, undefined, (trx) =>
      identifyInTx(trx, at, { identifiers: valid, explicitRoot: customerId, strict: false, source: 'login:device' }),
    ).then(
      () => true,
      () => false,
    );
  }
  if (d.cart_id && deps.mergeCart)
    merged.cart = await deps.mergeCart(d.cart_id, customerId, d.channelId).then(
      () => true,
      () => false,
    );
  if (merged.history || merged.cart) deps.nudge?.();
  return merged;
}
