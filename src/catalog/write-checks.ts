/**
 * The checks a product or price write makes, split from service.ts (house rule: files under ~400
 * lines): variants by the rules with their prices' channels resolved (before the transaction), and
 * every SKU and GTIN already taken by another product (inside it). Each names every bad field at once.
 */
import { problems, type FieldError } from '../platform/http/problems.js';
import type { Executor } from '../platform/db/schema.js';
import * as store from './store.js';
import { variantErrors } from './rules.js';
import type { PriceSet } from './rows.js';
import type { ChannelLookup } from './ports.js';
import type { VariantInput } from './types.js';

/** Field errors for prices naming channels that do not exist; returns the prices with channel ids. */
export async function resolveChannels<T extends { channel_id?: string | null | undefined }>(
  channels: ChannelLookup,
  prices: T[],
  field: (i: number) => string,
): Promise<{ resolved: T[]; errors: FieldError[] }> {
  const errors: FieldError[] = [];
  const resolved: T[] = [];
  for (const [i, p] of prices.entries()) {
    if (p.channel_id === null || p.channel_id === undefined) {
      resolved.push(p);
      continue;
    }
    const c = await channels.channel(p.channel_id);
    if (!c) errors.push({ field: `${field(i)}/channel_id`, message: `channel ${p.channel_id} does not exist` });
    resolved.push({ ...p, channel_id: c?.id ?? p.channel_id });
  }
  return { resolved, errors };
}

/**
 * Checks variants by the rules and resolves their prices' channels. Runs before the transaction:
 * the channel lookup may query the pool, which on PGlite (one connection) would wait forever for
 * a transaction of ours that holds it.
 */
export async function prepareVariants(
  channels: ChannelLookup,
  variants: VariantInput[],
  base = 'variants',
): Promise<PriceSet[]> {
  const errors = variantErrors(variants, base);
  const flat: PriceSet[] = [];
  const at: string[] = [];
  variants.forEach((v, i) =>
    (v.prices ?? []).forEach((p, j) => (flat.push({ ...p, sku: v.sku }), at.push(`${base}/${i}/prices/${j}`))),
  );
  const { resolved, errors: channelErrors } = await resolveChannels(channels, flat, (i) => at[i]!);
  errors.push(...channelErrors);
  if (errors.length) throw problems.validation('the variants are not valid', errors);
  return resolved;
}

/** Names every SKU and GTIN already taken by another product, rather than failing on the first. */
export async function checkTaken(
  variants: VariantInput[],
  productId: string | undefined,
  trx: Executor,
  base = 'variants',
): Promise<void> {
  const owners = await store.variantOwners(
    trx,
    variants.map((v) => v.sku),
  );
  const gtins = await store.gtinOwners(
    trx,
    variants.flatMap((v) => (v.gtin ? [v.gtin] : [])),
  );
  const dup: FieldError[] = [];
  variants.forEach((v, i) => {
    const owner = owners.get(v.sku);
    if (owner !== undefined && owner !== productId)
      dup.push({ field: `${base}/${i}/sku`, message: `SKU ${v.sku} already exists` });
    const gtinOwner = v.gtin ? gtins.get(v.gtin) : undefined;
    if (gtinOwner !== undefined && gtinOwner !== v.sku)
      dup.push({ field: `${base}/${i}/gtin`, message: `GTIN ${v.gtin} is already used by SKU ${gtinOwner}` });
  });
  if (dup.length) throw problems.duplicate('a SKU or GTIN is already in the catalog', dup);
}
