import { Type } from '@sinclair/typebox';
import { defineEvents, type PayloadsOf } from '../platform/events/types.js';

const Str = Type.String();

/** The events customers emit (see docs/events.md). */
export const customerEvents = defineEvents({
  'customer.created': Type.Object(
    { customer_id: Str, source: Type.Unknown() },
    { description: 'A customer profile was created.' },
  ),
  'customer.identified': Type.Object(
    { customer_id: Str, merged: Type.Unknown(), kinds: Type.Array(Str) },
    { description: 'Identifiers were linked to a customer (maybe merging profiles).' },
  ),
  'customer.merged': Type.Object(
    { merge_id: Str, survivor_id: Str, absorbed_id: Str, member_ids: Type.Array(Str) },
    { description: 'Two profiles were merged into one.' },
  ),
  'customer.unmerged': Type.Object(
    { customer_id: Str, survivor_id: Str, merge_id: Str, member_ids: Type.Array(Str) },
    { description: 'A merge was undone.' },
  ),
  'customer.consent_changed': Type.Object(
    {
      customer_id: Str,
      consents: Type.Array(Type.Object({ purpose: Str, granted: Type.Boolean() })),
      source: Type.Unknown(),
    },
    { description: 'A customer granted or withdrew consents.' },
  ),
  'customer.erased': Type.Object(
    { customer_id: Str, customer_ids: Type.Array(Str), by: Type.Unknown() },
    { description: 'A customer was erased (GDPR): drop what you hold about these ids.' },
  ),
});

declare module '../platform/events/types.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging adds the members
  interface EventMap extends PayloadsOf<typeof customerEvents> {}
}

/** The profile rows a `customer.erased` event erases: customer_ids (older events carry only customer_id). */
export function erasedCustomerIds(data: Record<string, unknown>): string[] {
  return Array.isArray(data.customer_ids) ? data.customer_ids.map(String) : [String(data.customer_id)];
}
