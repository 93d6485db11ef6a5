import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/schema.js';
import { problems } from '../platform/http/problems.js';
import { operationsFigures } from './operations-store.js';
import type { Operations } from './schemas.js';

const DAY_MS = 86_400_000;
/** A dashboard window, not a report: longer spans belong to the reports (channel mix, shipping). */
const MAX_WINDOW_MS = 31 * DAY_MS;

/** The dashboard's figures for a window (the console sends the shopper-facing day in its time zone). */
export async function operations(db: Db, clock: Clock, q: { from?: string; to?: string }): Promise<Operations> {
  const now = clock.now();
  const from = q.from
    ? new Date(q.from)
    : new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const to = q.to ? new Date(q.to) : new Date(from.getTime() + DAY_MS);
  if (to <= from) throw problems.field('to', 'must be after from');
  if (to.getTime() - from.getTime() > MAX_WINDOW_MS)
    throw problems.field('to', 'the window may span at most 31 days (use the reports for longer)');
  const figures = await operationsFigures(db, from, to, now);
  return { from: from.toISOString(), to: to.toISOString(), ...figures };
}
