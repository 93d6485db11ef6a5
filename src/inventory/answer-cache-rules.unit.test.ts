import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import Fastify, { type FastifyInstance } from 'fastify';
import { distanceKm } from '../network/index.js';
import { promisesOf } from './atp-summary-rules.js';
import {
  answerJson,
  answerObject,
  answerView,
  pointOrder,
  promised,
  promisedTotal,
  totalJson,
  totalOf,
  unpackInts,
} from './answer-cache-rules.js';
import { AvailabilitySchema, AvailabilityTotalSchema } from './schemas.js';
import type { Availability } from './types.js';

/**
 * The answers made from a held summary row are the answers InventoryService.availability made
 * before (promisesOf on the row, then listed most first or nearest first, ties by id), and their JSON
 * is byte for byte what the route's response schema wrote of those objects (Fastify's own serializer).
 */

/** The service's answer before the answer cache, from the same row (its code, verbatim in effect). */
function before(
  sku: string,
  code: string,
  ids: string[],
  slotOf: (id: string) => number,
  free: (number | null)[],
  safety: (number | null)[],
  policy: { safety_stock: number; buffer_pct: number },
  point?: { lat: number; lng: number; radius?: number | undefined; at: Map<string, { lat: number; lng: number }> },
): Availability {
  const dist = new Map<string, number>();
  let locs = ids;
  if (point) {
    for (const id of ids) dist.set(id, distanceKm(point.lat, point.lng, point.at.get(id)!.lat, point.at.get(id)!.lng));
    if (point.radius !== undefined) locs = locs.filter((id) => dist.get(id)! <= point.radius!);
  }
  const at = promisesOf(
    free,
    safety,
    locs.map((id) => ({ location_id: id, index: slotOf(id) - 1 })),
    policy,
  );
  const locations = at
    .map((l) => ({
      location_id: l.location_id,
      available: l.available,
      distance_km: point ? Math.round(dist.get(l.location_id)! * 100) / 100 : null,
    }))
    .sort(
      (a, b) =>
        (point ? a.distance_km! - b.distance_km! : b.available - a.available) ||
        (a.location_id < b.location_id ? -1 : 1),
    );
  return { sku, channel: code, available: locations.reduce((s, l) => s + l.available, 0), locations };
}

let app: FastifyInstance;
let current: unknown;
beforeAll(async () => {
  app = Fastify();
  app.get('/a', { schema: { response: { 200: AvailabilitySchema } } }, () => current);
  app.get('/t', { schema: { response: { 200: AvailabilityTotalSchema } } }, () => current);
  await app.ready();
});
afterAll(() => app.close());

/** What the route's response schema writes of an answer object. */
async function schemaJson(a: Availability | ReturnType<typeof totalOf>, url = '/a'): Promise<string> {
  current = a;
  return (await app.inject({ method: 'GET', url })).body;
}

const toArrays = (vals: (number | null)[]) => ({
  packed: vals.map((v) => (v === null ? '' : String(v))).join(','),
});

describe('availability answers from a held summary row', () => {
  it('equal the service’s answer, and their JSON is what the response schema writes', async () => {
    const slotValue = fc.option(fc.oneof(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 2 ** 31 - 1 })), {
      freq: 6,
    });
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.stringMatching(/^[a-z0-9_"\\é-]{1,12}$/), { minLength: 0, maxLength: 12 }),
        fc.array(fc.tuple(slotValue, fc.option(fc.integer({ min: 0, max: 40 }), { freq: 6 })), {
          minLength: 0,
          maxLength: 16,
        }),
        fc.record({ safety_stock: fc.integer({ min: 0, max: 10 }), buffer_pct: fc.integer({ min: 0, max: 100 }) }),
        fc.option(
          fc.record({
            lat: fc.double({ min: 39, max: 42, noNaN: true }),
            lng: fc.double({ min: -5, max: -2, noNaN: true }),
            radius: fc.option(fc.double({ min: 0.1, max: 300, noNaN: true }), { nil: undefined }),
          }),
          { nil: undefined },
        ),
        fc.integer({ min: 0, max: 1000 }),
        async (ids, row, policy, where, seed) => {
          // slots: a permutation-ish assignment within 1..ids.length + 4 (some beyond the row's length)
          const slot = new Map(ids.map((id, i) => [id, ((i * 7 + seed) % (ids.length + 4)) + 1]));
          const uniqueSlots = new Set(slot.values());
          if (uniqueSlots.size !== slot.size) return; // slots are unique per location
          const free = row.map(([f]) => f);
          const safety = row.map(([f, s]) => (f === null ? null : (s ?? 0)));
          const coords = new Map(
            ids.map((id, i) => [id, { lat: 40 + ((i * 37 + seed) % 100) / 50, lng: -4 + (i % 9) / 5 }]),
          );
          const point = where && { ...where, at: coords };
          const want = before('SKU-"1"', 'we"b', ids, (id) => slot.get(id)!, free, safety, policy, point);

          const view = answerView('we"b', ids, (id) => slot.get(id)!, policy);
          const order =
            where &&
            pointOrder(
              view,
              Float64Array.from(ids, (id) =>
                distanceKm(where.lat, where.lng, coords.get(id)!.lat, coords.get(id)!.lng),
              ),
              where.radius,
            );
          const p = promised(view, unpackInts(toArrays(free).packed), unpackInts(toArrays(safety).packed), order);
          expect(answerObject('SKU-"1"', 'we"b', view, p, order)).toEqual(want);
          const text = answerJson('SKU-"1"', view, p, order);
          expect(text).toBe(await schemaJson(want));
          expect(text).toBe(JSON.stringify(want));
          // fields=total: the full answer's sum and count, made without the list
          const free32 = unpackInts(toArrays(free).packed);
          const total = promisedTotal(view, free32, unpackInts(toArrays(safety).packed), order);
          expect({ sum: total.sum, n: total.n }).toEqual({ sum: want.available, n: want.locations.length });
          const t = totalJson('SKU-"1"', view, total);
          expect(t).toBe(await schemaJson(totalOf(want), '/t'));
          expect(JSON.parse(t)).toEqual({
            sku: 'SKU-"1"',
            channel: 'we"b',
            available: want.available,
            location_count: want.locations.length,
          });
        },
      ),
      { numRuns: 400 },
    );
  });

  it('read the shipped arrays, a NULL slot as 0', () => {
    expect([...unpackInts('')]).toEqual([]);
    expect([...unpackInts('5,,0,-3,2147483647')]).toEqual([5, 0, 0, -3, 2147483647]);
    expect([...unpackInts(',')]).toEqual([0, 0]);
  });
});
