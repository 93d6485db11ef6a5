/**
 * How the agent's search box reads a query (pure): which identifiers it may be, an order number, a
 * customer id, a name. One query may be several things at once ("12345678" can be a phone typed
 * without its country code and a loyalty card): every reading is looked up and the hits are merged.
 *
 * Phones go through libphonenumber-js (Google's metadata): an agent types the number the way the
 * customer says it, `612 34 56 78`, `(+351) 912-345-678`, `0034 612…`, and the identifier table
 * holds E.164 (`+34612345678`). A national number is read in the retailer's home country.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { normaliseIdentifier } from './rules.js';
import type { IdentifierKind } from './types.js';

export const QUERY_MIN = 2;
export const QUERY_MAX = 200;
export const SEARCH_LIMIT_MAX = 50;

export interface SearchPlan {
  identifiers: { kind: IdentifierKind; value: string }[];
  orderId: string | null;
  customerId: string | null;
  /** Lower-cased, single-spaced name prefix; null when the query cannot be a name. */
  name: string | null;
}

const ORDER_ID = /^ord_[A-Za-z0-9]{1,60}$/;
const CUSTOMER_ID = /^cus_[A-Za-z0-9]{1,60}$/;
const PHONE_CHARS = /^[+\d\s().\-/]+$/;
/** Codes the till, the loyalty scheme and marketplaces print (rules.ts CODE). */
const CODE_KINDS = ['loyalty_card', 'pos_customer', 'marketplace_buyer'] as const;

/** E.164 for a phone typed any way, or null when it is not a possible number. */
export function phoneE164(raw: string, region: CountryCode): string | null {
  let s = raw.trim();
  if (!PHONE_CHARS.test(s)) return null;
  if (s.replace(/\D/g, '').length < 6) return null;
  s = s.replace(/^\(?00/, '+').replace(/^\(\+/, '+');
  const parsed = parsePhoneNumberFromString(s, region);
  return parsed?.isPossible() ? parsed.number : null;
}

/** The readings of a query, or a message for the `query` field when it says nothing searchable. */
export function planSearch(raw: string, region: CountryCode): { plan: SearchPlan } | { error: string } {
  const q = raw.trim().replace(/\s+/g, ' ');
  if (q.length < QUERY_MIN) return { error: `must have at least ${QUERY_MIN} characters` };
  if (q.length > QUERY_MAX) return { error: `must have at most ${QUERY_MAX} characters` };
  const plan: SearchPlan = { identifiers: [], orderId: null, customerId: null, name: null };

  if (q.includes('@')) {
    const email = normaliseIdentifier('email', q);
    if ('error' in email) return { error: 'looks like an e-mail address but is not a valid one' };
    plan.identifiers.push({ kind: 'email', value: email.value });
    return { plan };
  }
  if (ORDER_ID.test(q)) plan.orderId = q;
  if (CUSTOMER_ID.test(q)) plan.customerId = q;

  const phone = phoneE164(q, region);
  if (phone) plan.identifiers.push({ kind: 'phone', value: phone });
  // A card number is often read out with spaces: try it as typed and without them.
  const compact = q.replace(/\s/g, '');
  for (const kind of CODE_KINDS) {
    for (const v of new Set([q, compact])) {
      const n = normaliseIdentifier(kind, v);
      if ('value' in n) plan.identifiers.push({ kind, value: n.value });
    }
  }
  // A name has a letter; a code that also looks like a word ("ANA1") is tried both ways.
  if (/\p{L}/u.test(q) && !plan.orderId && !plan.customerId) plan.name = foldName(q);
  return { plan };
}

const FOLD_FROM = 'áàâäãåÁÀÂÄÃÅéèêëÉÈÊËíìîïÍÌÎÏóòôöõøÓÒÔÖÕØúùûüÚÙÛÜçÇñÑýÿÝ';
const FOLD_TO = 'aaaaaaaaaaaaeeeeeeeeiiiiiiiioooooooooooouuuuuuuuccnnyyy';
const FOLD = new Map([...FOLD_FROM].map((c, i) => [c, FOLD_TO[i]!]));

/**
 * A name as the search index keeps it: lower case, accents dropped ("García" → "garcia"). The twin
 * of SQL's `omnia_fold_name` (migration 4300): the same table, so a folded query meets a folded index.
 */
export function foldName(s: string): string {
  return [...s.toLowerCase()].map((c) => FOLD.get(c) ?? c).join('');
}

/** `like` pattern for a prefix: the user's own `%`, `_` and `\` match literally. */
export function prefixPattern(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
