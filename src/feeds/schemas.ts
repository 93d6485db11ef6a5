/** TypeBox schemas of the feeds and share-link routes. */
import { Type } from '@sinclair/typebox';
import { StringEnum, Strict } from '../platform/http/schemas.js';

export const ChannelCodeParam = Type.Object({ channel_code: Type.String({ minLength: 1, maxLength: 64 }) });

export const FeedQuery = Type.Object({
  format: Type.Optional(
    StringEnum(['meta', 'google'] as const, {
      description: 'meta: Meta commerce catalog CSV (default); google: Google Merchant RSS 2.0 with the g: namespace',
    }),
  ),
  token: Type.Optional(
    Type.String({ maxLength: 200, description: "the feed's fetch token (or HTTP Basic auth with it as password)" }),
  ),
});

export const FeedConfigBody = Strict({
  link_template: Type.String({
    minLength: 8,
    maxLength: 2000,
    description: 'product page URL; {sku}, {product_code} and {product_id} are replaced',
  }),
  image_template: Type.String({
    minLength: 8,
    maxLength: 2000,
    description: 'image URL when the product has no attributes.image_url; same placeholders',
  }),
  active: Type.Optional(Type.Boolean()),
});

export const FeedSchema = Type.Object({
  channel_id: Type.String(),
  channel_code: Type.String(),
  link_template: Type.String(),
  image_template: Type.String(),
  active: Type.Boolean(),
  token_hint: Type.String({ description: 'the last 4 characters of the fetch token' }),
  items: Type.Integer({ description: 'SKU rows stored' }),
  pending: Type.Integer({ description: 'SKUs marked for regeneration' }),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
});

export const FeedWithToken = Type.Object({
  feed: FeedSchema,
  token: Type.Union([Type.String(), Type.Null()], {
    description: 'the fetch token, shown only when issued (null on a settings change)',
  }),
});

export const ShareLinkBody = Strict({
  channel: Type.String({ minLength: 1, maxLength: 64, description: 'the social channel (code): utm_source' }),
  url: Type.String({ minLength: 8, maxLength: 2000, description: 'the page shared' }),
  campaign: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  medium: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  sku: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
});

export const ShareLinkSchema = Type.Object({
  id: Type.String(),
  channel: Type.String(),
  url: Type.String({
    description: 'the link to share: the page with utm_source, utm_medium, utm_campaign, omnia_share',
  }),
  target_url: Type.String(),
  campaign: Type.String(),
  medium: Type.String(),
  sku: Type.Union([Type.String(), Type.Null()]),
  sharer_customer_id: Type.Union([Type.String(), Type.Null()]),
  visits: Type.Integer(),
  created_at: Type.String({ format: 'date-time' }),
});

export const ShareLinkParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

export const VisitBody = Strict({
  anonymous_id: Type.String({ minLength: 1, maxLength: 128, description: "the visitor's anonymous id" }),
});

export const VisitResponse = Type.Object({ channel: Type.String(), recorded: Type.Literal(true) });
