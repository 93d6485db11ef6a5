/**
 * Exact integer money arithmetic for the pricing engine. No floats touch an amount: percentages
 * are carried as basis points (12.5 % = 1250) and every division rounds half up explicitly.
 * When an intermediate product could pass 2^53 the computation switches to BigInt.
 */

const SAFE = Number.MAX_SAFE_INTEGER;

/** Percent (up to two decimals) → basis points. 12.5 → 1250. Throws on more precision than that. */
export function toBasisPoints(percent: number): number {
  const bp = Math.round(percent * 100);
  if (Math.abs(bp - percent * 100) > 1e-6) throw new RangeError(`percent ${percent} has more than two decimals`);
  return bp;
}

/** round_half_up(a × b / c) for non-negative integers a, b and positive c. */
export function mulDivRound(a: number, b: number, c: number): number {
  if (a * b <= SAFE) {
    const p = a * b;
    const q = Math.floor(p / c);
    const r = p - q * c;
    return 2 * r >= c ? q + 1 : q;
  }
  const p = BigInt(a) * BigInt(b);
  const bc = BigInt(c);
  const q = p / bc;
  const r = p - q * bc;
  return Number(2n * r >= bc ? q + 1n : q);
}

/** The part of `amount` that is `bp` basis points, rounded half up. */
export function percentOf(amount: number, bp: number): number {
  return mulDivRound(amount, bp, 10_000);
}

/**
 * The VAT contained in a tax-inclusive amount: gross × rate / (100 + rate), rounded half up.
 * `ratePct` may carry two decimals (5.5 %), hence the basis points.
 */
export function includedTax(gross: number, ratePct: number): number {
  if (gross <= 0 || ratePct <= 0) return 0;
  const bp = toBasisPoints(ratePct);
  return mulDivRound(gross, bp, 10_000 + bp);
}

/**
 * Splits `total` over `weights` in proportion, by largest remainder: each share is
 * floor(total × w / W), then the units left go one each to the largest remainders (ties to the
 * earlier index). The shares sum exactly to `total`, and when total ≤ W no share exceeds its weight.
 */
export function distribute(total: number, weights: readonly number[]): number[] {
  const shares = new Array<number>(weights.length).fill(0);
  distributeInto(total, weights, weights.length, shares);
  return shares;
}

/** Remainders of distributeInto, reused (the engine is synchronous, so one buffer serves every call). */
let remsBuf = new Float64Array(64);

/**
 * `distribute` over the first `n` weights, writing the shares into `out[0..n)`: the pricing engine
 * spreads into its own per-quote buffers instead of allocating two arrays per promotion.
 */
export function distributeInto(total: number, weights: ArrayLike<number>, n: number, out: number[]): void {
  for (let i = 0; i < n; i++) out[i] = 0;
  if (total === 0 || n === 0) return;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += weights[i]!;
  if (sum <= 0) throw new RangeError('cannot distribute over zero weights');
  if (remsBuf.length < n) remsBuf = new Float64Array(Math.max(n, remsBuf.length * 2));
  // remainders are < sum, a safe integer, so a float64 holds them exactly
  const rems = remsBuf;
  let given = 0;
  const big = total * sum > SAFE;
  for (let i = 0; i < n; i++) {
    const w = weights[i]!;
    if (!big) {
      const p = total * w;
      const q = Math.floor(p / sum);
      out[i] = q;
      rems[i] = p - q * sum;
      given += q;
    } else {
      const p = BigInt(total) * BigInt(w);
      const bs = BigInt(sum);
      const q = p / bs;
      out[i] = Number(q);
      rems[i] = Number(p - q * bs);
      given += out[i]!;
    }
  }
  let left = total - given;
  if (left > 0 && n <= 32) {
    // small baskets: pick the largest remainders one by one (cheaper than sorting an index array)
    for (; left > 0; left--) {
      let best = 0;
      for (let i = 1; i < n; i++) if (rems[i]! > rems[best]!) best = i;
      out[best]! += 1;
      rems[best] = -1;
    }
  } else if (left > 0) {
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => rems[b]! - rems[a]! || a - b);
    for (let k = 0; left > 0; k++, left--) out[order[k]!]! += 1;
  }
}
