import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ACTIONS,
  RESOURCE_KINDS,
  actingChannel,
  authorizeResource,
  decide,
  type Action,
  type Resource,
  type Subject,
} from './policy.js';

const A = 'chn_A';
const B = 'chn_B';
const X = 'loc_X';
const Y = 'loc_Y';
const C = 'cus_C';
const D = 'cus_D';

const who = {
  secretA: { kind: 'api_key', keyKind: 'secret', channelId: A, channelCode: 'web', locationId: null },
  secretB: { kind: 'api_key', keyKind: 'secret', channelId: B, channelCode: 'app', locationId: null },
  tillAX: { kind: 'api_key', keyKind: 'secret', channelId: A, channelCode: 'web', locationId: X },
  pubA: { kind: 'api_key', keyKind: 'publishable', channelId: A, channelCode: 'web', locationId: null },
  admin: { kind: 'staff', role: 'admin', locationId: null },
  agent: { kind: 'staff', role: 'agent', locationId: null },
  merch: { kind: 'staff', role: 'merchandiser', locationId: null },
  assocX: { kind: 'staff', role: 'store_associate', locationId: X },
  assocY: { kind: 'staff', role: 'store_associate', locationId: Y },
  custC: { kind: 'customer', customerId: C, channelId: A },
  custD: { kind: 'customer', customerId: D, channelId: A },
} satisfies Record<string, Subject>;
type Who = keyof typeof who;

const res = {
  cartAnonA: { kind: 'cart', id: 'crt_1', channelId: A, locationId: null, customerId: null },
  cartOfC: { kind: 'cart', id: 'crt_2', channelId: A, locationId: null, customerId: C },
  cartAtY: { kind: 'cart', id: 'crt_3', channelId: A, locationId: Y, customerId: null },
  orderOfC: { kind: 'order', id: 'ord_1', channelId: A, locationId: null, customerId: C },
  orderAtY: { kind: 'order', id: 'ord_2', channelId: A, locationId: Y, customerId: C },
  reservationAtY: { kind: 'reservation', id: 'res_1', channelId: A, locationId: Y, customerId: null },
  returnAtY: { kind: 'return', id: 'ret_1', channelId: A, locationId: Y, customerId: C },
  customerC: { kind: 'customer', id: C, customerId: C },
  taskAtY: { kind: 'fulfillment', id: 'ful_1', channelId: A, locationId: Y },
  webhook: { kind: 'webhook', id: 'whk_1' },
  webhookOfA: { kind: 'webhook', id: 'whk_2', channelId: A },
  keyOfA: { kind: 'api_key', id: 'key_1', channelId: A, locationId: null },
  stockAtY: { kind: 'stock', locationId: Y },
} satisfies Record<string, Resource>;
type Res = keyof typeof res;

type Outcome = 'allow' | 'forbidden' | 'not_found' | 'unauthorized';
/** Given a principal, when it does `action` on a resource, then the outcome. */
const table: [Who | 'anonymous', Action, Res, Outcome][] = [
  ['anonymous', 'read', 'cartAnonA', 'unauthorized'],
  // API keys act within their channel; another channel's resource does not exist for them.
  ['secretA', 'read', 'orderOfC', 'allow'],
  ['secretB', 'read', 'orderOfC', 'not_found'],
  ['secretB', 'write', 'reservationAtY', 'not_found'],
  ['secretB', 'read', 'cartAnonA', 'not_found'],
  ['secretA', 'read', 'customerC', 'allow'],
  ['secretA', 'export', 'customerC', 'allow'],
  ['secretA', 'write', 'webhook', 'forbidden'],
  ['secretA', 'write', 'webhookOfA', 'allow'],
  ['secretB', 'read', 'webhookOfA', 'not_found'],
  ['pubA', 'read', 'webhookOfA', 'forbidden'],
  ['secretA', 'write', 'keyOfA', 'allow'],
  ['secretB', 'write', 'keyOfA', 'not_found'],
  ['agent', 'write', 'keyOfA', 'forbidden'],
  // A store-bound key acts at its store only.
  ['tillAX', 'write', 'reservationAtY', 'forbidden'],
  ['tillAX', 'write', 'stockAtY', 'forbidden'],
  ['tillAX', 'read', 'orderOfC', 'allow'],
  // A publishable key: anonymous carts of its channel, nothing else.
  ['pubA', 'write', 'cartAnonA', 'allow'],
  ['pubA', 'read', 'cartOfC', 'forbidden'],
  ['pubA', 'read', 'orderOfC', 'forbidden'],
  ['pubA', 'read', 'customerC', 'forbidden'],
  ['pubA', 'export', 'customerC', 'forbidden'],
  ['pubA', 'write', 'reservationAtY', 'forbidden'],
  ['pubA', 'write', 'returnAtY', 'forbidden'],
  // Staff roles.
  ['admin', 'erase', 'customerC', 'allow'],
  ['admin', 'write', 'webhook', 'allow'],
  ['agent', 'read', 'orderAtY', 'allow'],
  ['agent', 'export', 'customerC', 'allow'],
  ['agent', 'erase', 'customerC', 'forbidden'],
  ['agent', 'write', 'webhook', 'forbidden'],
  ['agent', 'write', 'taskAtY', 'forbidden'],
  ['agent', 'write', 'webhookOfA', 'forbidden'],
  ['agent', 'read', 'stockAtY', 'allow'],
  ['agent', 'write', 'stockAtY', 'forbidden'],
  ['merch', 'read', 'stockAtY', 'allow'],
  ['merch', 'read', 'orderOfC', 'allow'],
  ['merch', 'write', 'orderOfC', 'forbidden'],
  ['assocY', 'write', 'taskAtY', 'allow'],
  ['assocX', 'write', 'taskAtY', 'forbidden'],
  ['assocX', 'read', 'orderAtY', 'forbidden'],
  ['assocY', 'read', 'orderAtY', 'allow'],
  ['assocY', 'read', 'orderOfC', 'forbidden'],
  ['assocX', 'write', 'returnAtY', 'forbidden'],
  ['assocX', 'write', 'reservationAtY', 'forbidden'],
  ['assocX', 'write', 'cartAtY', 'forbidden'],
  ['assocX', 'write', 'cartAnonA', 'allow'],
  ['assocX', 'read', 'customerC', 'allow'],
  ['assocX', 'export', 'customerC', 'forbidden'],
  ['assocX', 'write', 'webhook', 'forbidden'],
  // A customer token: its own profile, carts, orders and returns only; others do not exist for it.
  ['custC', 'read', 'customerC', 'allow'],
  ['custC', 'erase', 'customerC', 'allow'],
  ['custD', 'read', 'customerC', 'not_found'],
  ['custD', 'export', 'customerC', 'not_found'],
  ['custC', 'read', 'orderOfC', 'allow'],
  ['custD', 'read', 'orderOfC', 'not_found'],
  ['custD', 'read', 'returnAtY', 'not_found'],
  ['custD', 'write', 'cartOfC', 'not_found'],
  ['custD', 'write', 'cartAnonA', 'allow'],
  ['custC', 'write', 'reservationAtY', 'forbidden'],
  ['custC', 'read', 'taskAtY', 'forbidden'],
  ['custC', 'write', 'webhook', 'forbidden'],
];

describe('authorization policy', () => {
  it.each(table)('given %s, when it does %s on %s, then %s', (w, action, r, outcome) => {
    const subject = w === 'anonymous' ? undefined : who[w];
    const d = decide(subject, action, res[r]);
    expect(d.allow ? 'allow' : d.problem).toBe(outcome);
  });

  it('authorizeResource throws the decided problem type', () => {
    expect(() => authorizeResource(who.custD, 'read', res.orderOfC)).toThrow(
      expect.objectContaining({ type: 'not_found' }),
    );
    expect(() => authorizeResource(who.assocX, 'write', res.taskAtY)).toThrow(
      expect.objectContaining({ type: 'forbidden' }),
    );
    expect(() => authorizeResource(who.custC, 'read', res.orderOfC)).not.toThrow();
  });

  it('no key reaches a resource of another channel, whatever the action or kind', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(who.secretB, who.pubA, who.tillAX),
        fc.constantFrom(...ACTIONS),
        fc.constantFrom(...RESOURCE_KINDS),
        (key, action, kind) => {
          const other = key.channelId === A ? B : A;
          expect(decide(key, action, { kind, id: 'x_1', channelId: other }).allow).toBe(false);
        },
      ),
    );
  });

  it('a customer token never reaches what belongs to another customer', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ACTIONS), fc.constantFrom(...RESOURCE_KINDS), (action, kind) => {
        expect(decide(who.custD, action, { kind, id: 'x_1', channelId: A, customerId: C }).allow).toBe(false);
      }),
    );
  });
});

describe('acting channel', () => {
  it('a key or customer token acts for its own channel, by id or code', () => {
    expect(actingChannel(who.secretA)).toBe(A);
    expect(actingChannel(who.secretA, 'web')).toBe(A);
    expect(actingChannel(who.custC, A)).toBe(A);
    expect(actingChannel(who.custC, 'web', A)).toBe(A);
  });
  it('naming another channel is forbidden', () => {
    expect(() => actingChannel(who.secretA, 'app')).toThrow(expect.objectContaining({ type: 'forbidden' }));
    expect(() => actingChannel(who.custC, 'app', B)).toThrow(expect.objectContaining({ type: 'forbidden' }));
  });
  it('staff must name the channel', () => {
    expect(actingChannel(who.agent, 'web', A)).toBe(A);
    expect(() => actingChannel(who.agent)).toThrow(expect.objectContaining({ type: 'validation_failed' }));
  });
  it('no credential is unauthorized', () => {
    expect(() => actingChannel(undefined)).toThrow(expect.objectContaining({ type: 'unauthorized' }));
  });
});

describe('conversations (webchat, issue 19)', () => {
  const convAnon = { kind: 'conversation', id: 'cnv_1', channelId: A, customerId: null } satisfies Resource;
  const convOfC = { kind: 'conversation', id: 'cnv_2', channelId: A, customerId: C } satisfies Resource;
  const opening = { kind: 'conversation', channelId: A, customerId: null } satisfies Resource;
  const cases: [Who, Action, Resource, Outcome][] = [
    // A publishable key is every shopper's: it opens one, and reaches one only with that one's token.
    ['pubA', 'write', opening, 'allow'],
    ['pubA', 'read', opening, 'forbidden'],
    ['pubA', 'read', convAnon, 'not_found'],
    ['pubA', 'read', { ...convAnon, secretHeld: true }, 'allow'],
    ['pubA', 'write', { ...convAnon, channelId: B, secretHeld: true }, 'not_found'],
    // A customer reaches their own, or one whose token they hold (opened before logging in).
    ['custC', 'read', convOfC, 'allow'],
    ['custD', 'read', convOfC, 'not_found'],
    ['custD', 'write', { ...convAnon, secretHeld: true }, 'allow'],
    ['custD', 'read', convAnon, 'not_found'],
    // Agents work every conversation; erasure stays an admin's; the shop floor and merchandising never see chats.
    ['agent', 'read', convOfC, 'allow'],
    ['agent', 'write', convAnon, 'allow'],
    ['agent', 'erase', convOfC, 'forbidden'],
    ['admin', 'write', convOfC, 'allow'],
    ['assocX', 'read', convAnon, 'forbidden'],
    ['merch', 'read', convAnon, 'forbidden'],
    // Secret keys act in their own channel.
    ['secretA', 'read', convOfC, 'allow'],
    ['secretB', 'read', convOfC, 'not_found'],
  ];
  it.each(cases)('given %s, when it does %s on %o, then %s', (w, action, r, outcome) => {
    const d = decide(who[w], action, r);
    expect(d.allow ? 'allow' : d.problem).toBe(outcome);
  });

  it('without its token, no shopper credential reaches a conversation that is not their own', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Subject>(who.pubA, who.custD),
        fc.constantFrom(...ACTIONS),
        fc.constantFrom(null, C),
        (subject, action, owner) => {
          expect(
            decide(subject, action, { kind: 'conversation', id: 'cnv_9', channelId: A, customerId: owner }).allow,
          ).toBe(false);
        },
      ),
    );
  });
});

describe('social catalog feeds (issue 19)', () => {
  const feedA: Resource = { kind: 'feed', channelId: A };
  const cases: [Who | 'anonymous', Action, Resource, Outcome][] = [
    // Meta and Google hold the feed's token, no credential: it reads that feed, nothing more.
    ['anonymous', 'read', { ...feedA, secretHeld: true }, 'allow'],
    ['anonymous', 'write', { ...feedA, secretHeld: true }, 'forbidden'],
    ['anonymous', 'read', feedA, 'unauthorized'],
    ['admin', 'write', feedA, 'allow'],
    ['merch', 'read', feedA, 'allow'],
    ['merch', 'write', feedA, 'forbidden'],
    ['agent', 'read', feedA, 'forbidden'],
    ['assocX', 'read', feedA, 'forbidden'],
    ['secretA', 'write', feedA, 'allow'],
    ['secretB', 'read', feedA, 'not_found'],
    ['pubA', 'read', feedA, 'forbidden'],
    ['custC', 'read', feedA, 'forbidden'],
  ];
  it.each(cases)('given %s, when it does %s on %o, then %s', (w, action, r, outcome) => {
    const d = decide(w === 'anonymous' ? undefined : who[w], action, r);
    expect(d.allow ? 'allow' : d.problem).toBe(outcome);
  });
});

describe('review policy (issue 19)', () => {
  const published: Resource = { kind: 'review' };
  const ofC: Resource = { kind: 'review', id: 'rev_1', customerId: C };
  const rows: [Who, Action, Resource, Outcome][] = [
    // Published reviews are public: every credential reads them.
    ['pubA', 'read', published, 'allow'],
    ['custD', 'read', published, 'allow'],
    ['assocX', 'read', published, 'allow'],
    // The author's own review (pending, rejected) is theirs; another customer's does not exist.
    ['custC', 'read', ofC, 'allow'],
    ['custC', 'write', ofC, 'allow'],
    ['custD', 'read', ofC, 'not_found'],
    ['custD', 'write', ofC, 'not_found'],
    ['custC', 'moderate', ofC, 'forbidden'],
    ['custC', 'moderate', published, 'forbidden'],
    // A publishable key is every shopper's: it never writes or moderates.
    ['pubA', 'write', ofC, 'forbidden'],
    ['pubA', 'moderate', published, 'forbidden'],
    // Merchandising moderates; agents read; store associates neither.
    ['merch', 'moderate', ofC, 'allow'],
    ['merch', 'write', ofC, 'forbidden'],
    ['admin', 'moderate', ofC, 'allow'],
    ['agent', 'read', ofC, 'allow'],
    ['agent', 'moderate', ofC, 'forbidden'],
    ['assocX', 'moderate', published, 'forbidden'],
    ['secretA', 'moderate', ofC, 'allow'],
    ['secretA', 'erase', ofC, 'forbidden'],
    // Nobody writes a review in a customer's name, not even an admin or a secret key.
    ['secretA', 'write', ofC, 'forbidden'],
    ['admin', 'write', ofC, 'forbidden'],
    ['agent', 'write', published, 'forbidden'],
  ];
  it.each(rows)('given %s, when it does %s on a review, then the outcome', (w, action, r, outcome) => {
    const d = decide(who[w], action, r);
    expect(d.allow ? 'allow' : d.problem).toBe(outcome);
  });
  it('a key of another channel reaches no review of a channel', () => {
    expect(decide(who.secretB, 'read', { kind: 'review', channelId: A }).allow).toBe(false);
  });
});
