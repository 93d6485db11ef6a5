/**
 * Pure rules for paying with store credit at checkout (issue 16 point 7): which tenders a checkout
 * may carry and what is left for the card. The balance itself is decided by the conditional debit
 * in the checkout's transaction, never here (a balance read before it would race).
 */

/** A credit tender as the shopper sends it: the customer's own balance, or a gift card by its code. */
export type CreditTender =
  { method: 'store_credit'; amount: number } | { method: 'gift_card'; code: string; amount: number };

export interface TenderError {
  field: string;
  message: string;
}

/**
 * Refusals on the tenders' face, against the order total: a positive whole amount each, the
 * customer's balance at most once, a gift card at most once, and no more credit than the total
 * (credit is never turned into change). Empty when the tenders are acceptable.
 */
export function tenderErrors(
  tenders: CreditTender[],
  total: number,
  opts: { customer: boolean; normalise: (code: string) => string },
): TenderError[] {
  const errors: TenderError[] = [];
  const codes = new Set<string>();
  let ownBalance = false;
  let sum = 0;
  tenders.forEach((t, i) => {
    if (!Number.isInteger(t.amount) || t.amount <= 0)
      errors.push({ field: `credits/${i}/amount`, message: 'a positive whole number of minor units' });
    sum += t.amount;
    if (t.method === 'store_credit') {
      if (!opts.customer)
        errors.push({ field: `credits/${i}/method`, message: 'store credit belongs to a customer: sign in to use it' });
      if (ownBalance)
        errors.push({ field: `credits/${i}/method`, message: 'the store credit balance is listed twice' });
      ownBalance = true;
    } else {
      const code = opts.normalise(t.code);
      if (codes.has(code)) errors.push({ field: `credits/${i}/code`, message: 'this gift card is listed twice' });
      codes.add(code);
    }
  });
  if (errors.length === 0 && sum > total)
    errors.push({ field: 'credits', message: `the credit (${sum}) is more than the order total (${total})` });
  return errors;
}

/** What the card (or other provider) is asked for once the credit is taken off. */
export function remainderAfterCredit(total: number, tenders: { amount: number }[]): number {
  return total - tenders.reduce((s, t) => s + t.amount, 0);
}
