/**
 * The types and caller groups of the authorization matrix (authz-matrix.e2e.test.ts). Rows for a new
 * module go in a file of their own next to this one, `rows-<module>.ts`, exporting `rows`; the matrix
 * picks up every such file, so parallel work on separate modules never edits the same table.
 */
import type { Shop } from '../../checkout/fixtures.js';
export const WHO = ['anon', 'pub', 'keyB', 'tillX', 'admin', 'merch', 'assocX', 'agent', 'custD'] as const;
export type Who = (typeof WHO)[number];

export interface Fx {
  shop: Shop;
  A: string;
  X: string;
  Y: string;
  customerC: string;
  eraseMe: string;
  tokenC: string;
  cartC: string;
  lineC: string;
  orderC: string;
  order2: string;
  order2Line: string;
  reservationY: string;
  taskY: string;
  returnY: string;
  webhookA: string;
  keyOfA: string;
  promotion: string;
  sku: string;
  n: () => number;
}

export interface Row {
  /** Who gets past authorization. */
  allow: Who[];
  /** Of those, who must get a 2xx (the important reads and writes). */
  ok?: Who[];
  /** Refused with 404, not 403: the resource is another channel's or customer's. */
  hidden?: Who[];
  /** Public: nobody is refused for who they are. */
  open?: true;
  /** The concrete path (default: the template with nothing to fill). */
  path?: (fx: Fx) => string;
  body?: (fx: Fx) => unknown;
}

/** Everyone with a credential; for shopper routes every holder of the scope. */
export const ALL: Who[] = ['pub', 'keyB', 'tillX', 'admin', 'merch', 'assocX', 'agent', 'custD'];
/** Secret keys (all scopes) and admins: settings and system routes. */
export const SETTINGS: Who[] = ['keyB', 'tillX', 'admin'];
/** Holders of inventory:read outside the shopper routes. */
export const STOCK_READERS: Who[] = ['keyB', 'tillX', 'admin', 'merch', 'assocX', 'agent'];
export const CATALOG_WRITERS: Who[] = ['keyB', 'tillX', 'admin', 'merch'];
export const CUSTOMER_WRITERS: Who[] = ['keyB', 'tillX', 'admin', 'agent'];
export const PROMO_READERS: Who[] = ['keyB', 'tillX', 'admin', 'merch', 'agent'];
/** A cart of customer C at store Y in channel A: only admins and agents among the strangers. */
export const CART_OF_C: Pick<Row, 'allow' | 'hidden'> = { allow: ['admin', 'agent'], hidden: ['keyB', 'custD'] };
