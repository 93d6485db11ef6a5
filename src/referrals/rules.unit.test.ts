import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  REFERRAL_CODE_PATTERN,
  fullyReturned,
  judgeSelfReferral,
  normaliseAddress,
  normaliseReferralCode,
  onDelivered,
  onReturned,
  paymentFingerprint,
  promotionProblems,
  referralCodeFrom,
  shareLink,
  unitsTakenBack,
  type SelfReferralFacts,
} from './rules.js';

const clean: SelfReferralFacts = {
  referrerIds: ['cus_A', 'cus_A2'],
  friendIds: ['cus_B'],
  referrerDevices: ['dev-1'],
  friendDevices: ['dev-2'],
  addressSeen: false,
  paymentSeen: false,
};

describe('self-referral judgement', () => {
  it('accepts a friend who shares nothing with the referrer', () => {
    expect(judgeSelfReferral(clean)).toEqual({ ok: true });
  });

  it('refuses the same person, also through a merged profile row', () => {
    expect(judgeSelfReferral({ ...clean, friendIds: ['cus_A2'] })).toMatchObject({ ok: false, reason: 'same_person' });
  });

  it('refuses a shared device, address or card, each with its own reason', () => {
    expect(judgeSelfReferral({ ...clean, friendDevices: ['dev-9', 'dev-1'] })).toMatchObject({
      ok: false,
      reason: 'same_device',
    });
    expect(judgeSelfReferral({ ...clean, addressSeen: true })).toMatchObject({ ok: false, reason: 'same_address' });
    expect(judgeSelfReferral({ ...clean, paymentSeen: true })).toMatchObject({ ok: false, reason: 'same_payment' });
  });

  it('names the strongest evidence when several hold', () => {
    const all = { ...clean, friendIds: ['cus_A'], friendDevices: ['dev-1'], addressSeen: true, paymentSeen: true };
    expect(judgeSelfReferral(all)).toMatchObject({ reason: 'same_person' });
    expect(judgeSelfReferral({ ...all, friendIds: [] })).toMatchObject({ reason: 'same_device' });
    expect(judgeSelfReferral({ ...all, friendIds: [], friendDevices: [] })).toMatchObject({ reason: 'same_address' });
  });

  it('a guest friend (no profile) is judged by address and card only', () => {
    expect(judgeSelfReferral({ ...clean, friendIds: [], friendDevices: [] })).toEqual({ ok: true });
    expect(judgeSelfReferral({ ...clean, friendIds: [], friendDevices: [], paymentSeen: true }).ok).toBe(false);
  });
});

describe('addresses and cards', () => {
  it('one address in two spellings is one address; another number or postcode is not', () => {
    const a = { line1: 'Calle Luna 3', city: 'Madrid', postal_code: '28004', country: 'ES' };
    expect(normaliseAddress({ ...a, line1: '3, CALLE LUNA', city: ' madrid ' })).toBe(normaliseAddress(a));
    expect(normaliseAddress({ ...a, line1: 'Calle Lúna 3' })).toBe(normaliseAddress(a));
    expect(normaliseAddress({ ...a, line1: 'Calle Luna 5' })).not.toBe(normaliseAddress(a));
    expect(normaliseAddress({ ...a, postal_code: '28005' })).not.toBe(normaliseAddress(a));
    expect(normaliseAddress({ ...a, line2: '2º B' })).not.toBe(normaliseAddress(a));
  });

  it('a card is its provider fingerprint, else provider, brand and last four; none without details', () => {
    expect(paymentFingerprint({ provider: 'stripe', details: { fingerprint: 'Xy1', last4: '4242' } })).toBe(
      'stripe:fp:Xy1',
    );
    expect(paymentFingerprint({ provider: 'test', details: { brand: 'visa', last4: '4242' } })).toBe('test:visa:4242');
    expect(paymentFingerprint({ provider: 'manual', details: {} })).toBeNull();
    expect(paymentFingerprint(null)).toBeNull();
  });
});

describe('codes and links', () => {
  it('draws codes the coupon engine accepts, whatever the random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 8, maxLength: 8 }), (bytes) => {
        const code = referralCodeFrom(bytes);
        expect(code).toMatch(REFERRAL_CODE_PATTERN);
        expect(normaliseReferralCode(code)).toBe(code);
        expect(code).toMatch(/^[A-Z0-9]{3,40}$/);
      }),
    );
    expect(() => referralCodeFrom(new Uint8Array(4))).toThrow();
  });

  it('normalises a typed code like a coupon', () => {
    expect(normaliseReferralCode(' ref-ab12 cd34 ')).toBe('REFAB12CD34');
  });

  it('builds the share link on the retailer page, keeping its own query', () => {
    const link = new URL(shareLink('https://shop.example.com/invite?lang=es', 'REFAB12CD34'));
    expect(link.origin + link.pathname).toBe('https://shop.example.com/invite');
    expect(Object.fromEntries(link.searchParams)).toEqual({
      lang: 'es',
      referral: 'REFAB12CD34',
      utm_source: 'referral',
      utm_medium: 'share',
    });
  });
});

describe('rewards', () => {
  const r = { status: 'pending' as const, order_units: 3, returned_units: 0, reward: 1000 };

  it('credits a pending referral on delivery, once', () => {
    expect(onDelivered(r)).toEqual({ do: 'credit' });
    for (const status of ['credited', 'refused', 'reversed', 'void'] as const)
      expect(onDelivered({ ...r, status })).toEqual({ do: 'nothing' });
  });

  it('voids instead when the whole order came back before the delivery event', () => {
    expect(onDelivered({ ...r, returned_units: 3 })).toEqual({ do: 'void', reason: 'returned' });
  });

  it('counts the units a return takes back, exchanges excepted', () => {
    expect(unitsTakenBack({ lines: [{ quantity: 2 }, { quantity: 1 }], exchange: [] })).toBe(3);
    expect(unitsTakenBack({ lines: [{ quantity: 2 }], exchange: [{ quantity: 2 }] })).toBe(0);
    expect(unitsTakenBack({ lines: [{ quantity: 2 }], exchange: [{ quantity: 1 }] })).toBe(1);
  });

  it('a partial return keeps the reward; a full one reverses it', () => {
    expect(onReturned({ ...r, status: 'credited', returned_units: 2 }, 5000)).toEqual({ do: 'nothing' });
    expect(onReturned({ ...r, status: 'credited', returned_units: 3 }, 5000)).toEqual({
      do: 'reverse',
      debit: 1000,
      unrecovered: 0,
    });
  });

  it('never takes more than the balance: the spent part is recorded as unrecovered', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 0, max: 200_000 }), (reward, balance) => {
        const d = onReturned({ ...r, status: 'credited', returned_units: 3, reward }, balance);
        expect(d.do).toBe('reverse');
        if (d.do !== 'reverse') return;
        expect(d.debit).toBeLessThanOrEqual(balance);
        expect(d.debit).toBeGreaterThanOrEqual(0);
        expect(d.debit + d.unrecovered).toBe(reward);
      }),
    );
  });

  it('a full return voids a pending referral and leaves refused or reversed ones alone', () => {
    expect(onReturned({ ...r, returned_units: 3 }, 0)).toEqual({ do: 'void', reason: 'returned' });
    expect(onReturned({ ...r, status: 'refused', returned_units: 3 }, 0)).toEqual({ do: 'nothing' });
    expect(onReturned({ ...r, status: 'reversed', returned_units: 6 }, 0)).toEqual({ do: 'nothing' });
    expect(fullyReturned({ order_units: 0, returned_units: 0 })).toBe(false);
  });
});

describe('the programme promotion', () => {
  it('must be coupon-only, first-order only and active', () => {
    const ok = { coupon_required: true, conditions: { first_order: true }, status: 'active' };
    expect(promotionProblems(ok)).toEqual([]);
    expect(promotionProblems({ ...ok, coupon_required: false })).toHaveLength(1);
    expect(promotionProblems({ ...ok, conditions: {} })).toHaveLength(1);
    expect(promotionProblems({ coupon_required: false, conditions: {}, status: 'inactive' })).toHaveLength(3);
  });
});
