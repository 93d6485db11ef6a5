import createClient from 'openapi-fetch';
import type { paths } from '../../api/schema';
import { ApiError, toProblem } from '../../ui/problem';

/**
 * The storefront widget's client: the shop's publishable key (from the page's `?key=`, kept for
 * reloads), never a staff token, plus the conversation token once the shopper has one. Typed from
 * the same OpenAPI document as the console's client.
 */
const KEY = 'omnia.shop.key';
const CHAT = 'omnia.shop.chat';
const CART = 'omnia.shop.cart';

export function publishableKey(search: string): string | null {
  const given = new URLSearchParams(search).get('key');
  if (given && /^omk_pub_/.test(given)) localStorage.setItem(KEY, given);
  return localStorage.getItem(KEY);
}

/** The conversation this browser holds (its id and token): a reload resumes it. */
export interface HeldChat {
  id: string;
  token: string;
}
export const heldChat = (): HeldChat | null => {
  try {
    return JSON.parse(localStorage.getItem(CHAT) ?? 'null') as HeldChat | null;
  } catch {
    return null;
  }
};
export const holdChat = (c: HeldChat | null) =>
  c ? localStorage.setItem(CHAT, JSON.stringify(c)) : localStorage.removeItem(CHAT);
/** The cart claimed from a hand-off code (a code is claimed once; a reload reads the cart by id). */
export const heldCart = (): string | null => localStorage.getItem(CART);
export const holdCart = (id: string | null) => (id ? localStorage.setItem(CART, id) : localStorage.removeItem(CART));

export function shopClient(key: string, chatToken: () => string | undefined) {
  const client = createClient<paths>({ baseUrl: location.origin });
  client.use({
    onRequest({ request }) {
      request.headers.set('authorization', `Bearer ${key}`);
      const token = chatToken();
      if (token) request.headers.set('x-conversation-token', token);
      return request;
    },
  });
  return client;
}
export type ShopClient = ReturnType<typeof shopClient>;

export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok || error !== undefined) throw new ApiError(toProblem(error, response.status));
  return data as T;
}
