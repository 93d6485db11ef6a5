import { Type } from '@sinclair/typebox';
import { defineEvents, type PayloadsOf } from '../platform/events/types.js';

/** Events of customer accounts (issue 16). Payloads carry ids only: never an address or a code. */
export const accountEvents = defineEvents({
  'customer.account_code_requested': Type.Object(
    { code_id: Type.String(), purpose: Type.String() },
    { description: 'A one-time code was issued for an address; notifications mails it after commit.' },
  ),
  'customer.email_verified': Type.Object(
    { customer_id: Type.String(), order_ids: Type.Array(Type.String()) },
    { description: 'A customer proved their e-mail; the guest orders placed with it are now theirs.' },
  ),
});

declare module '../platform/events/types.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging adds the members
  interface EventMap extends PayloadsOf<typeof accountEvents> {}
}
