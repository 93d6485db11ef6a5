/** Parsing helpers shared by config.ts and config-providers.ts: a bad value is a problem reported, never a silent default. */

export function parseIntStrict(name: string, raw: string, min: number, max: number, problems: string[]): number {
  if (!/^\d+$/.test(raw.trim())) {
    problems.push(`${name} must be a whole number, got "${raw}"`);
    return min;
  }
  const n = Number(raw);
  if (n < min || n > max) problems.push(`${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}
