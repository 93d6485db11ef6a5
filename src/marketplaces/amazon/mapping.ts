/**
 * Pure translation between Omnia's connector shapes and the Selling Partner API's documented JSON:
 * Listings Items 2021-08-01 (putListingsItem bodies), the JSON_LISTINGS_FEED document (Feeds 2021-06-30),
 * its processing report, Orders v0 (getOrders, getOrderItems, confirmShipment) and the XML order
 * acknowledgement that cancels an order. Every answer is checked for the fields we use: an answer
 * without them is a MalformedResponseError, and nothing from it is used.
 */
import { minorUnits } from '../../platform/money.js';
import {
  MalformedResponseError,
  type MarketplaceAddress,
  type MarketplaceOrder,
  type MarketplaceOrderStatus,
  type Money,
  type OfferInput,
  type ShipmentConfirmation,
  type StockUpdate,
} from '../types.js';

/** Minor units → the decimal amount SP-API prices take (29.95). */
export function toDecimal(m: Money): number {
  const digits = minorUnits(m.currency);
  return Number((m.amount / 10 ** digits).toFixed(digits));
}

/** SP-API's decimal string ("29.95") → minor units; null when absent or unreadable. */
export function fromDecimal(amount: unknown, currency: unknown): Money | null {
  if (typeof currency !== 'string' || (typeof amount !== 'string' && typeof amount !== 'number')) return null;
  const n = Number(amount);
  if (!Number.isFinite(n)) return null;
  return { amount: Math.round(n * 10 ** minorUnits(currency)), currency };
}

const purchasableOffer = (price: Money, marketplaceId: string) => [
  {
    marketplace_id: marketplaceId,
    currency: price.currency,
    our_price: [{ schedule: [{ value_with_tax: toDecimal(price) }] }],
  },
];
const availability = (quantity: number) => [{ fulfillment_channel_code: 'DEFAULT', quantity: Math.max(0, quantity) }];

/** putListingsItem body: the offer on an existing catalog item found by GTIN, or a full listing without one. */
export function listingBody(offer: OfferInput, marketplaceId: string, productType: string): Record<string, unknown> {
  const attributes: Record<string, unknown> = {
    condition_type: [{ value: 'new_new', marketplace_id: marketplaceId }],
    item_name: [{ value: offer.title, marketplace_id: marketplaceId }],
    purchasable_offer: purchasableOffer(offer.price, marketplaceId),
    fulfillment_availability: availability(offer.quantity),
  };
  if (offer.gtin)
    attributes.externally_assigned_product_identifier = [
      { type: offer.gtin.length === 12 ? 'upc' : 'ean', value: offer.gtin, marketplace_id: marketplaceId },
    ];
  if (offer.attributes.size) attributes.size = [{ value: offer.attributes.size, marketplace_id: marketplaceId }];
  if (offer.attributes.colour) attributes.color = [{ value: offer.attributes.colour, marketplace_id: marketplaceId }];
  return {
    productType,
    // With a GTIN Amazon matches its catalog item and only our offer is needed.
    ...(offer.gtin ? { requirements: 'LISTING_OFFER_ONLY' } : {}),
    attributes,
  };
}

/** The JSON_LISTINGS_FEED document: one PATCH message per SKU with its latest quantity (and price when changed). */
export function listingsFeed(
  sellerId: string,
  marketplaceId: string,
  productType: string,
  items: readonly StockUpdate[],
): { header: Record<string, string>; messages: Record<string, unknown>[] } {
  return {
    header: { sellerId, version: '2.0', issueLocale: 'en_US' },
    messages: items.map((i, n) => ({
      messageId: n + 1,
      sku: i.sku,
      operationType: 'PATCH',
      productType,
      patches: [
        { op: 'replace', path: '/attributes/fulfillment_availability', value: availability(i.quantity) },
        ...(i.price
          ? [{ op: 'replace', path: '/attributes/purchasable_offer', value: purchasableOffer(i.price, marketplaceId) }]
          : []),
      ],
    })),
  };
}

/**
 * The feed's processing report → the SKUs it refused. Issues name their message (messageId, our index
 * + 1); with the feed's SKUs known that is the SKU. Unknown SKUs (a report read after a restart) with
 * errors fail the whole feed: sending every figure again is always safe, losing one is not.
 */
export function reportFailures(
  report: unknown,
  skus: readonly string[] | null,
): { failed: { sku: string; message: string }[]; wholeFeed: string | null } {
  const r = report as { issues?: unknown; summary?: unknown } | null;
  if (!r || typeof r !== 'object' || (r.issues !== undefined && !Array.isArray(r.issues)))
    throw new MalformedResponseError('getFeedDocument: the processing report is not the documented JSON');
  const failed = new Map<string, string>();
  let unmapped: string | null = null;
  for (const raw of (r.issues as unknown[] | undefined) ?? []) {
    const i = raw as { messageId?: unknown; sku?: unknown; severity?: unknown; message?: unknown; code?: unknown };
    if (i.severity !== 'ERROR') continue;
    const text = `${String(i.code ?? 'error')}: ${String(i.message ?? '')}`;
    const sku =
      typeof i.sku === 'string' ? i.sku : typeof i.messageId === 'number' && skus ? skus[i.messageId - 1] : undefined;
    if (sku) failed.set(sku, text);
    else unmapped = text;
  }
  return { failed: [...failed].map(([sku, message]) => ({ sku, message })), wholeFeed: unmapped };
}

const STATUS: Record<string, MarketplaceOrderStatus> = {
  Pending: 'pending',
  PendingAvailability: 'pending',
  Unshipped: 'unshipped',
  PartiallyShipped: 'partially_shipped',
  Shipped: 'shipped',
  InvoiceUnconfirmed: 'shipped',
  Canceled: 'cancelled',
  Unfulfillable: 'cancelled',
};

export interface AmazonOrderSummary {
  AmazonOrderId: string;
  OrderStatus: string;
  PurchaseDate: string;
  LastUpdateDate: string;
  FulfillmentChannel?: string;
  OrderTotal?: { CurrencyCode?: string; Amount?: string };
  ShippingAddress?: Record<string, unknown>;
  BuyerInfo?: { BuyerEmail?: string; BuyerName?: string };
  MarketplaceId?: string;
}

/** getOrders' payload → its orders and NextToken, checked. */
export function parseOrdersPage(body: unknown): { orders: AmazonOrderSummary[]; next: string | null } {
  const p = (body as { payload?: { Orders?: unknown; NextToken?: unknown } } | null)?.payload;
  if (!p || !Array.isArray(p.Orders)) throw new MalformedResponseError('getOrders: no payload.Orders in the answer');
  for (const o of p.Orders as Record<string, unknown>[]) {
    if (
      !o ||
      typeof o.AmazonOrderId !== 'string' ||
      typeof o.OrderStatus !== 'string' ||
      typeof o.PurchaseDate !== 'string' ||
      typeof o.LastUpdateDate !== 'string' ||
      Number.isNaN(Date.parse(o.LastUpdateDate))
    )
      throw new MalformedResponseError('getOrders: an order lacks AmazonOrderId, OrderStatus or its dates');
  }
  const next = typeof p.NextToken === 'string' && p.NextToken !== '' ? p.NextToken : null;
  return { orders: p.Orders as AmazonOrderSummary[], next };
}

export interface AmazonOrderItem {
  OrderItemId: string;
  SellerSKU: string;
  QuantityOrdered: number;
  ItemPrice?: { CurrencyCode?: string; Amount?: string };
}

export function parseItemsPage(body: unknown): { items: AmazonOrderItem[]; next: string | null } {
  const p = (body as { payload?: { OrderItems?: unknown; NextToken?: unknown } } | null)?.payload;
  if (!p || !Array.isArray(p.OrderItems)) throw new MalformedResponseError('getOrderItems: no payload.OrderItems');
  for (const i of p.OrderItems as Record<string, unknown>[])
    if (
      !i ||
      typeof i.OrderItemId !== 'string' ||
      typeof i.SellerSKU !== 'string' ||
      !Number.isInteger(i.QuantityOrdered)
    )
      throw new MalformedResponseError('getOrderItems: an item lacks OrderItemId, SellerSKU or QuantityOrdered');
  const next = typeof p.NextToken === 'string' && p.NextToken !== '' ? p.NextToken : null;
  return { items: p.OrderItems as AmazonOrderItem[], next };
}

function address(a: Record<string, unknown> | undefined): MarketplaceAddress | null {
  if (!a) return null;
  const s = (k: string) => (typeof a[k] === 'string' && a[k] !== '' ? (a[k] as string) : null);
  return {
    name: s('Name'),
    line1: s('AddressLine1'),
    line2: s('AddressLine2'),
    city: s('City'),
    postal_code: s('PostalCode'),
    region: s('StateOrRegion'),
    country: s('CountryCode'),
    phone: s('Phone'),
  };
}

export function toOrder(o: AmazonOrderSummary, items: readonly AmazonOrderItem[]): MarketplaceOrder {
  const currency =
    o.OrderTotal?.CurrencyCode ?? items.find((i) => i.ItemPrice?.CurrencyCode)?.ItemPrice?.CurrencyCode ?? 'EUR';
  return {
    external_id: o.AmazonOrderId,
    status: STATUS[o.OrderStatus] ?? 'pending',
    raw_status: o.OrderStatus,
    placed_at: new Date(o.PurchaseDate),
    updated_at: new Date(o.LastUpdateDate),
    currency,
    buyer: { email: o.BuyerInfo?.BuyerEmail ?? null, name: o.BuyerInfo?.BuyerName ?? null },
    shipping_address: address(o.ShippingAddress),
    lines: items.map((i) => {
      const total = fromDecimal(i.ItemPrice?.Amount, i.ItemPrice?.CurrencyCode);
      return {
        external_line_id: i.OrderItemId,
        sku: i.SellerSKU,
        quantity: i.QuantityOrdered,
        // ItemPrice is the line's total (unit price × quantity).
        unit_price:
          total && i.QuantityOrdered > 0 ? { ...total, amount: Math.round(total.amount / i.QuantityOrdered) } : null,
      };
    }),
  };
}

/** confirmShipment's body (Orders v0): one package with its carrier, tracking and items. */
export function shipmentBody(
  c: ShipmentConfirmation,
  marketplaceId: string,
  packageReferenceId: string,
): Record<string, unknown> {
  return {
    marketplaceId,
    packageDetail: {
      packageReferenceId,
      carrierCode: c.carrier,
      carrierName: c.carrier,
      ...(c.method ? { shippingMethod: c.method } : {}),
      trackingNumber: c.tracking,
      shipDate: c.shipped_at.toISOString(),
      orderItems: c.lines.map((l) => ({ orderItemId: l.external_line_id, quantity: l.quantity })),
    },
  };
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * Cancelling an unshipped order from the seller side: the order acknowledgement feed
 * (POST_ORDER_ACKNOWLEDGEMENT_DATA) with StatusCode Failure — the Orders API has no cancel operation.
 */
export function cancelAcknowledgement(sellerId: string, orderId: string): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<AmazonEnvelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="amzn-envelope.xsd">',
    `<Header><DocumentVersion>1.01</DocumentVersion><MerchantIdentifier>${xml(sellerId)}</MerchantIdentifier></Header>`,
    '<MessageType>OrderAcknowledgement</MessageType>',
    `<Message><MessageID>1</MessageID><OrderAcknowledgement><AmazonOrderID>${xml(orderId)}</AmazonOrderID><StatusCode>Failure</StatusCode></OrderAcknowledgement></Message>`,
    '</AmazonEnvelope>',
  ].join('\n');
}
