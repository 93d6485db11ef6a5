/**
 * Saved segments: definitions validated on save, evaluated on demand by scanning people in id order
 * a page at a time (each page's facts loaded with one query per roll-up table), so memory stays
 * bounded whatever the customer count. The count is exact at the time of the call.
 */
import type { Db } from '../platform/db/schema.js';
import type { Clock } from '../platform/clock.js';
import { newId } from '../platform/ids.js';
import { isUniqueViolation, problems } from '../platform/http/problems.js';
import { decodeCursor, encodeCursor } from '../platform/http/pagination.js';
import * as store from './profile-store.js';
import { subjects } from './profile.js';
import { matches, segmentErrors, type Condition } from './segment-rules.js';

export interface Segment {
  id: string;
  name: string;
  definition: Condition;
  created_at: string;
  updated_at: string;
}

const SCAN_PAGE = 500;

function toSegment(r: { id: string; name: string; definition: unknown; created_at: Date; updated_at: Date }): Segment {
  const definition = (typeof r.definition === 'string' ? JSON.parse(r.definition) : r.definition) as Condition;
  return {
    id: r.id,
    name: r.name,
    definition,
    created_at: r.created_at.toISOString(),
    updated_at: r.updated_at.toISOString(),
  };
}

export class SegmentService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async create(input: { name: string; definition: unknown }): Promise<Segment> {
    const errors = segmentErrors(input.definition);
    if (errors.length) throw problems.validation('the segment definition is not valid', errors);
    const at = this.clock.now();
    const id = newId('seg', at.getTime());
    try {
      await store.insertSegment(this.db, { id, name: input.name, definition: input.definition, at });
    } catch (err) {
      if (isUniqueViolation(err))
        throw problems.duplicate(`a segment named ${input.name} exists`, [{ field: 'name', message: 'already used' }]);
      throw err;
    }
    return this.get(id);
  }
  async get(id: string): Promise<Segment> {
    const row = await store.getSegment(this.db, id);
    if (!row) throw problems.notFound('segment', id);
    return toSegment(row);
  }
  async list(): Promise<Segment[]> {
    return (await store.listSegments(this.db)).map(toSegment);
  }
  async remove(id: string): Promise<void> {
    if (!(await store.deleteSegment(this.db, id))) throw problems.notFound('segment', id);
  }

  /** Counts the members and returns one page of them (ids in order) after `cursor`. */
  async evaluate(
    id: string,
    page: { limit?: number | undefined; cursor?: string | undefined } = {},
  ): Promise<{ segment_id: string; count: number; items: string[]; next_cursor: string | null }> {
    const seg = await this.get(id);
    const limit = page.limit ?? 50;
    const after = decodeCursor<string>(page.cursor);
    const now = this.clock.now();
    let count = 0;
    const items: string[] = [];
    let more = false;
    let last: string | undefined;
    for (;;) {
      const roots = await store.activeRootsPage(this.db, last, SCAN_PAGE);
      if (roots.length === 0) break;
      last = roots[roots.length - 1];
      const subs = await subjects(this.db, roots, now);
      for (const root of roots) {
        const s = subs.get(root);
        if (!s || !matches(seg.definition, s)) continue;
        count += 1;
        if (after !== undefined && root <= after) continue;
        if (items.length < limit) items.push(root);
        else more = true;
      }
    }
    return { segment_id: id, count, items, next_cursor: more ? encodeCursor(items[items.length - 1]) : null };
  }
}
