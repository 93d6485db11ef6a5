/** The VAT of a priced basket. Pure and integer-only. */
import { distribute, includedTax } from './rounding.js';
import type { Quote } from './types.js';

/**
 * VAT is inside the prices: per rate, the tax of the rate's total, spread over its lines exactly.
 * `shipNet` (shipping after its discount) is taxed at `shippingRate` with the lines of that rate.
 */
export function vatOf(
  states: readonly { taxRate: number; remaining: number }[],
  shipNet: number,
  shippingRate: number,
): { lineTax: number[]; breakdown: Quote['tax_breakdown'] } {
  const n = states.length;
  // the distinct rates, dearest first (a basket has a handful: a list beats a Map and a Set)
  const rates: number[] = [];
  for (let i = 0; i < n; i++) if (!rates.includes(states[i]!.taxRate)) rates.push(states[i]!.taxRate);
  if (shipNet > 0 && !rates.includes(shippingRate)) rates.push(shippingRate);
  if (rates.length > 1) rates.sort((a, b) => b - a);
  const lineTax = new Array<number>(n).fill(0);
  const breakdown: Quote['tax_breakdown'] = [];
  const idx: number[] = [];
  const weights: number[] = [];
  for (const rate of rates) {
    idx.length = 0;
    weights.length = 0;
    let gross = 0;
    for (let i = 0; i < n; i++)
      if (states[i]!.taxRate === rate) {
        idx.push(i);
        weights.push(states[i]!.remaining);
        gross += states[i]!.remaining;
      }
    if (shipNet > 0 && rate === shippingRate) {
      weights.push(shipNet);
      gross += shipNet;
    }
    const tax = includedTax(gross, rate);
    if (gross > 0) {
      const shares = distribute(tax, weights);
      for (let k = 0; k < idx.length; k++) lineTax[idx[k]!] = shares[k]!;
    }
    breakdown.push({ rate, base: gross - tax, tax });
  }
  return { lineTax, breakdown };
}
