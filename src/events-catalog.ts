import type { TObject } from '@sinclair/typebox';
import { catalogEvents } from './catalog/events.js';
import { networkEvents } from './network/events.js';
import { inventoryEvents } from './inventory/events.js';
import { customerEvents } from './customers/events.js';
import { accountEvents } from './customers/index.js';
import { promotionEvents } from './promotions/events.js';
import { cartEvents } from './carts/events.js';
import { orderEvents } from './orders/events.js';
import { paymentEvents } from './payments/events.js';
import { fulfillmentEvents } from './fulfillment/events.js';
import { returnEvents } from './returns/events.js';
import { marketplaceEvents } from './marketplaces/events.js';
import { carrierEvents } from './carriers/events.js';
import { reviewEvents } from './reviews/events.js';
import { referralEvents } from './referrals/events.js';
import { conversationEvents } from './conversations/events.js';

/**
 * Every module's events with their payload schemas: published in docs/events.md (npm run docs:events)
 * and in the OpenAPI document's `webhooks` section. Add a module's `events.ts` here.
 */
export const eventCatalog: Record<string, TObject> = {
  ...networkEvents,
  ...catalogEvents,
  ...inventoryEvents,
  ...customerEvents,
  ...accountEvents,
  ...promotionEvents,
  ...cartEvents,
  ...orderEvents,
  ...paymentEvents,
  ...fulfillmentEvents,
  ...returnEvents,
  ...marketplaceEvents,
  ...carrierEvents,
  ...reviewEvents,
  ...referralEvents,
  ...conversationEvents,
};
