/**
 * Lost sales: demand a location could not serve, split into what another location had that day (a
 * sourcing or transfer opportunity: the chain had the stock in the wrong place) and what none had (a
 * buying problem: the chain bought too little). Stock elsewhere is shared among the lost sales of the
 * same SKU and day in input order, so one spare unit is never counted as two opportunities.
 */
import type { LostSale, LostSaleClass, LostSalesSummary, Result, StockElsewhere } from './types.js';
import { badInt, epochDay, fail, firstError, ok } from './validate.js';

export function classifyLostSales(lost: LostSale[], stock: StockElsewhere[]): Result<LostSalesSummary> {
  for (const [i, l] of lost.entries()) {
    const bad = firstError<LostSalesSummary>(
      badInt(`lost[${i}].units`, l.units, 1),
      badInt(`lost[${i}].unit_price`, l.unit_price, 0),
    );
    if (bad) return bad;
    if (epochDay(l.day) === null) return fail(`lost[${i}].day`, `not a YYYY-MM-DD day: ${l.day}`);
  }
  // remaining[sku|day] → location → units still spare
  const remaining = new Map<string, Map<string, number>>();
  for (const [i, s] of stock.entries()) {
    const e = badInt(`stock[${i}].units`, s.units, 0);
    if (e) return { ok: false, error: e };
    const key = `${s.sku}|${s.day}`;
    const m = remaining.get(key) ?? new Map<string, number>();
    if (m.has(s.location)) return fail(`stock[${i}]`, `${s.location} lists ${s.sku} on ${s.day} twice`);
    m.set(s.location, s.units);
    remaining.set(key, m);
  }
  const lines: LostSaleClass[] = [];
  const opp = { units: 0, value: 0 };
  const buy = { units: 0, value: 0 };
  for (const l of lost) {
    const spare = remaining.get(`${l.sku}|${l.day}`);
    let need = l.units;
    if (spare) {
      for (const [loc, units] of spare) {
        if (need === 0) break;
        // The location that lost the sale had none to spare by definition.
        if (loc === l.location || units === 0) continue;
        const take = Math.min(need, units);
        spare.set(loc, units - take);
        need -= take;
      }
    }
    const sourceable = l.units - need;
    lines.push({ ...l, sourceable, unsourceable: need });
    opp.units += sourceable;
    opp.value += sourceable * l.unit_price;
    buy.units += need;
    buy.value += need * l.unit_price;
  }
  return ok({ lines, sourcing_opportunity: opp, buying_problem: buy });
}
