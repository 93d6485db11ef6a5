import { Type } from '@sinclair/typebox';
import { defineEvents, type PayloadsOf } from '../platform/events/types.js';

const Str = Type.String();
const Line = Type.Object({ sku: Str, quantity: Type.Integer({ minimum: 1 }) });
const base = {
  marketplace_order_id: Str,
  connection_id: Str,
  channel: Type.String({ description: 'channel id' }),
  provider: Type.String({ description: 'amazon, aliexpress, …' }),
  external_id: Type.String({ description: "the marketplace's order id" }),
};

/** The events the marketplaces module emits (see docs/events.md). */
export const marketplaceEvents = defineEvents({
  'marketplace.order_imported': Type.Object(
    { ...base, order_id: Str, lines: Type.Array(Line) },
    { description: 'A marketplace order became an Omnia order of its channel, its stock reserved.' },
  ),
  'marketplace.order_exception': Type.Object(
    {
      ...base,
      problem_type: Type.String({ description: 'why it could not be imported, e.g. insufficient_stock' }),
      detail: Str,
      lines: Type.Array(Line),
    },
    {
      description:
        'A marketplace order could not become an Omnia order (its stock is gone, an unknown SKU): nothing was oversold; staff retry or cancel it.',
    },
  ),
  'marketplace.order_cancelled': Type.Object(
    {
      ...base,
      order_id: Type.Union([Str, Type.Null()]),
      by: Type.Union([Type.Literal('marketplace'), Type.Literal('omnia')]),
      reason: Str,
    },
    { description: 'A marketplace order was cancelled, on the marketplace or by Omnia staff.' },
  ),
  'marketplace.order_resolved': Type.Object(
    { ...base, note: Type.String({ description: "staff's note: how it was settled" }) },
    {
      description:
        'Staff settled an exception by hand: no Omnia order was placed and nothing was sent to the marketplace.',
    },
  ),
});

declare module '../platform/events/types.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- declaration merging adds the members
  interface EventMap extends PayloadsOf<typeof marketplaceEvents> {}
}
