/**
 * What an order search query names (the counter's "find the order"): an order number, an e-mail
 * or a phone number typed in any format. Pure: the caller passes the country a national number
 * belongs to (the store's), nothing here reads the database.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

export type OrderQuery =
  | { kind: 'id'; value: string }
  | { kind: 'email'; value: string }
  | { kind: 'phone'; value: string }
  | { kind: 'invalid'; message: string };

const ORDER_ID = /^ord_[0-9a-z]{26}$/i;
const EMAIL = /^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$/;
/** Digits with the separators people type: spaces, dots, dashes, brackets, a leading + or 00. */
const PHONEISH = /^\+?[\d\s().-]{6,30}$/;

/**
 * Classifies a query. E-mails are lower-cased (as customers store them); phones become E.164
 * (`612 34 56 78` in a Spanish store is +34612345678), as the customers module keeps them.
 */
export function parseOrderQuery(raw: string, country?: string): OrderQuery {
  const q = raw.trim();
  if (ORDER_ID.test(q)) return { kind: 'id', value: `ord_${q.slice(4).toUpperCase()}` };
  if (q.includes('@')) {
    const e = q.toLowerCase();
    return e.length <= 254 && EMAIL.test(e)
      ? { kind: 'email', value: e }
      : { kind: 'invalid', message: 'is not a valid e-mail address' };
  }
  if (PHONEISH.test(q)) {
    const international = q.startsWith('00') ? `+${q.slice(2)}` : q;
    const n = parsePhoneNumberFromString(international, country ? (country.toUpperCase() as CountryCode) : undefined);
    return n?.isValid()
      ? { kind: 'phone', value: n.number }
      : {
          kind: 'invalid',
          message: country
            ? `is not a valid phone number (national in ${country.toUpperCase()}, or international with +)`
            : 'is not a valid international phone number (e.g. +34612345678)',
        };
  }
  return { kind: 'invalid', message: 'is not an order number (ord_…), an e-mail or a phone number' };
}
