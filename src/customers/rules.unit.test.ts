import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decideIdentify, identifierKey, mergeConflict, normaliseIdentifier, type ProfileSummary } from './rules.js';
import { churnRisk, computeMetrics, rfm, visitFrequencyDays, channelMix } from './metrics-rules.js';
import { matches, segmentErrors, type Condition } from './segment-rules.js';
import type { Identifier } from './types.js';

const prof = (rootId: string, ids: [string, string, boolean?][], hasAccount = false): ProfileSummary => ({
  rootId,
  hasAccount,
  identifiers: ids.map(([kind, value, verified]) => ({
    kind: kind as Identifier['kind'],
    value,
    verified: verified ?? false,
  })),
});
const owners = (m: Record<string, string[]>) =>
  new Map(
    Object.entries(m).map(([k, v]) => {
      const [kind, value] = k.split('=');
      return [identifierKey({ kind: kind!, value: value! }), v];
    }),
  );

describe('identifier normalisation', () => {
  it('normalises emails and E.164 phones and refuses malformed ones', () => {
    expect(normaliseIdentifier('email', '  Ana@Example.COM ')).toEqual({ value: 'ana@example.com' });
    expect(normaliseIdentifier('email', 'ana@')).toHaveProperty('error');
    expect(normaliseIdentifier('phone', '0034 600-111 222')).toEqual({ value: '+34600111222' });
    expect(normaliseIdentifier('phone', '600111222')).toHaveProperty('error');
    expect(normaliseIdentifier('device_id', 'has space')).toHaveProperty('error');
  });
});

describe('identity decisions', () => {
  it('creates a profile for a new email', () => {
    const d = decideIdentify({ given: [{ kind: 'email', value: 'a@x.io' }], owners: new Map(), profiles: new Map() });
    expect(d).toMatchObject({ anchor: null, merge: [], attach: [{ kind: 'email', value: 'a@x.io' }] });
  });
  it('merges two profiles that an email and a loyalty card prove are one person', () => {
    const d = decideIdentify({
      given: [
        { kind: 'email', value: 'a@x.io' },
        { kind: 'loyalty_card', value: 'L1' },
      ],
      owners: owners({ 'email=a@x.io': ['cus_A'], 'loyalty_card=L1': ['cus_B'] }),
      profiles: new Map([
        ['cus_A', prof('cus_A', [['email', 'a@x.io']])],
        [
          'cus_B',
          prof('cus_B', [
            ['loyalty_card', 'L1'],
            ['phone', '+34600000001'],
          ]),
        ],
      ]),
    });
    expect(d.anchor).toBe('cus_A');
    expect(d.merge).toEqual(['cus_B']);
    expect(d.via).toEqual({ cus_B: 'loyalty_card' });
  });
  it('does not glue a family together through a shared phone', () => {
    const d = decideIdentify({
      given: [
        { kind: 'email', value: 'son@x.io' },
        { kind: 'phone', value: '+34600000001' },
      ],
      owners: owners({ 'phone=+34600000001': ['cus_MUM'] }),
      profiles: new Map([
        [
          'cus_MUM',
          prof('cus_MUM', [
            ['email', 'mum@x.io', true],
            ['phone', '+34600000001'],
          ]),
        ],
      ]),
    });
    expect(d.anchor).toBeNull();
    expect(d.merge).toEqual([]);
    expect(d.attach).toEqual([{ kind: 'email', value: 'son@x.io' }]);
    expect(d.conflicts[0]).toMatchObject({ other: 'cus_MUM', reason: 'conflicting_identifiers', blocking: true });
  });
  it('names different verified emails as the reason', () => {
    const a = prof('A', [['email', 'a@x.io', true]]);
    const b = prof('B', [['email', 'b@x.io', true]]);
    expect(mergeConflict(a, b)?.reason).toBe('different_verified_emails');
    expect(mergeConflict(prof('A', [], true), prof('B', [], true))?.reason).toBe('both_have_accounts');
  });
  it('never merges through a device; links a shared device up to the limit', () => {
    const profiles = new Map([
      [
        'cus_A',
        prof('cus_A', [
          ['email', 'a@x.io'],
          ['device_id', 'tab1'],
        ]),
      ],
      ['cus_B', prof('cus_B', [['email', 'b@x.io']])],
    ]);
    const d = decideIdentify({
      given: [
        { kind: 'email', value: 'b@x.io' },
        { kind: 'device_id', value: 'tab1' },
      ],
      owners: owners({ 'email=b@x.io': ['cus_B'], 'device_id=tab1': ['cus_A'] }),
      profiles,
    });
    expect(d).toMatchObject({ anchor: 'cus_B', merge: [], attach: [{ kind: 'device_id', value: 'tab1' }] });
    const full = decideIdentify({
      given: [
        { kind: 'email', value: 'b@x.io' },
        { kind: 'device_id', value: 'tab1' },
      ],
      owners: owners({ 'email=b@x.io': ['cus_B'], 'device_id=tab1': ['X', 'Y', 'Z'] }),
      profiles,
    });
    expect(full.attach).toEqual([]);
    expect(full.conflicts[0]).toMatchObject({ reason: 'device_shared_too_widely', blocking: false });
  });
  it('a device or anonymous id alone names nobody', () => {
    const d = decideIdentify({
      given: [{ kind: 'anonymous_id', value: 'anon1' }],
      owners: new Map(),
      profiles: new Map(),
    });
    expect(d.anchor).toBeNull();
  });
  it('property: no decision ever merges profiles the conflict rule refuses, nor exceeds a kind limit', () => {
    const emails = ['a@x.io', 'b@x.io', 'c@x.io'];
    const arb = fc.record({
      ownerOf: fc.array(fc.constantFrom('P1', 'P2', 'P3'), { minLength: 3, maxLength: 3 }),
      profileEmails: fc.array(fc.constantFrom(...emails, ''), { minLength: 3, maxLength: 3 }),
      given: fc.subarray(['email', 'phone', 'loyalty_card'] as const, { minLength: 1 }),
    });
    fc.assert(
      fc.property(arb, ({ ownerOf, profileEmails, given }) => {
        const profiles = new Map(
          ['P1', 'P2', 'P3'].map((p, i) => [p, prof(p, profileEmails[i] ? [['email', profileEmails[i]!]] : [])]),
        );
        const values: Record<string, string> = { email: 'a@x.io', phone: '+34600000009', loyalty_card: 'L9' };
        const own = new Map(given.map((k, i) => [identifierKey({ kind: k, value: values[k]! }), [ownerOf[i]!]]));
        for (const [k, v] of own)
          profiles.get(v[0]!)!.identifiers.push({
            kind: k.split('\u0000')[0] as Identifier['kind'],
            value: k.split('\u0000')[1]!,
            verified: false,
          });
        // a valid starting graph: nobody holds two emails already
        fc.pre(
          [...profiles.values()].every(
            (p) => new Set(p.identifiers.filter((i) => i.kind === 'email').map((i) => i.value)).size <= 1,
          ),
        );
        const d = decideIdentify({ given: given.map((k) => ({ kind: k, value: values[k]! })), owners: own, profiles });
        const people = [d.anchor, ...d.merge].filter((x): x is string => !!x);
        const allEmails = new Set(
          people.flatMap((p) =>
            profiles
              .get(p)!
              .identifiers.filter((i) => i.kind === 'email')
              .map((i) => i.value),
          ),
        );
        for (const a of d.attach) if (a.kind === 'email') allEmails.add(a.value);
        return allEmails.size <= 1;
      }),
    );
  });
});

describe('metrics', () => {
  it('visit frequency is the median gap between active days', () => {
    expect(visitFrequencyDays(['2026-01-01', '2026-01-03', '2026-01-10', '2026-01-11'])).toBe(2);
    expect(visitFrequencyDays(['2026-01-01'])).toBeNull();
  });
  it('churn risk grows with time since the last visit, relative to the rhythm', () => {
    expect(churnRisk(5, 7).level).toBe('low');
    expect(churnRisk(30, 7).level).toBe('high');
    expect(churnRisk(30, 30).level).toBe('low');
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 1, max: 365 }),
        (a, b, rhythm) => {
          const [x, y] = a <= b ? [a, b] : [b, a];
          const s = churnRisk(x, rhythm).score,
            t = churnRisk(y, rhythm).score;
          return s <= t && s >= 0 && t <= 1;
        },
      ),
    );
  });
  it('scores RFM in 1..5 and classifies the channel mix', () => {
    expect(rfm(3, 12, 200_000)).toMatchObject({ r: 5, f: 5, m: 5, segment: 'champion' });
    expect(rfm(null, 0, 0)).toMatchObject({ r: 1, f: 1, m: 1, segment: 'prospect' });
    fc.assert(
      fc.property(
        fc.option(fc.integer({ min: 0, max: 5000 })),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        (d, n, m) => {
          const s = rfm(d, n, m);
          return [s.r, s.f, s.m].every((x) => x >= 1 && x <= 5);
        },
      ),
    );
    const t = (day: string, channel: string, kind: 'online' | 'store') => ({
      day,
      channel,
      channel_kind: kind,
      first_at: new Date(day),
      last_at: new Date(day),
    });
    expect(channelMix([t('2026-01-01', 'web', 'online')], []).class).toBe('online_only');
    const mix = channelMix([t('2026-01-01', 'web', 'online'), t('2026-01-02', 'pos', 'store')], []);
    expect(mix).toMatchObject({ class: 'omnichannel', online_share: 0.5, store_share: 0.5 });
  });
  it('computes totals in the main currency and ignores cancelled orders', () => {
    const o = (amount: number, currency = 'EUR', cancelled = false) => ({
      placed_at: new Date('2026-01-05T10:00:00Z'),
      amount,
      currency,
      channel: 'web',
      channel_kind: 'online' as const,
      cancelled,
      returns: 0,
    });
    const m = computeMetrics({
      now: new Date('2026-01-10T00:00:00Z'),
      touches: [],
      orders: [o(1000), o(3000), o(500, 'USD'), o(9999, 'EUR', true)],
    });
    expect(m.orders_count).toBe(3);
    expect(m.total_spent).toEqual({ amount: 4000, currency: 'EUR' });
    expect(m.average_basket).toEqual({ amount: 2000, currency: 'EUR' });
  });
});

describe('segment language', () => {
  const def: Condition = {
    all: [
      { field: 'channel_mix', op: 'eq', value: 'omnichannel' },
      { field: 'churn_level', op: 'in', value: ['medium', 'high'] },
      { field: 'viewed_category', op: 'contains', value: 'shoes' },
    ],
  };
  it('accepts valid definitions and names each error', () => {
    expect(segmentErrors(def)).toEqual([]);
    const bad = segmentErrors({
      all: [
        { field: 'shoe_size', op: 'eq', value: 1 },
        { field: 'orders_count', op: 'contains', value: 1 },
        { field: 'orders_count', op: 'gt', value: 'x' },
      ],
    });
    expect(bad.map((e) => e.field)).toEqual([
      '/definition/all/0/field',
      '/definition/all/1/op',
      '/definition/all/2/value',
    ]);
    expect(segmentErrors({ any: [] })[0]!.message).toMatch(/non-empty/);
  });
  it('evaluates against a subject', () => {
    const metrics = computeMetrics({
      now: new Date('2026-03-01T00:00:00Z'),
      orders: [],
      touches: [
        {
          day: '2026-01-01',
          channel: 'web',
          channel_kind: 'online',
          first_at: new Date('2026-01-01T10:00:00Z'),
          last_at: new Date('2026-01-01T10:00:00Z'),
        },
        {
          day: '2026-01-03',
          channel: 'pos',
          channel_kind: 'store',
          first_at: new Date('2026-01-03T10:00:00Z'),
          last_at: new Date('2026-01-03T10:00:00Z'),
        },
      ],
    });
    const subject = {
      metrics,
      traits: { preferred_sizes: [], preferred_store: null, favourite_categories: [] },
      viewedCategories: ['shoes'],
      consents: [],
    };
    expect(matches(def, subject)).toBe(true);
    expect(matches({ not: def }, subject)).toBe(false);
    expect(
      matches(
        { ...def, all: [...(def as { all: Condition[] }).all, { field: 'orders_count', op: 'gte', value: 1 }] },
        subject,
      ),
    ).toBe(false);
  });
});
