/** Given/When/Then: when a behaviour event must go through identification rather than the fast path. */
import { describe, expect, it } from 'vitest';
import { needsIdentification } from './rules.js';

const none = { explicitRoot: null, strongRoots: [], anonymous: null, device: null } as const;

describe('needsIdentification', () => {
  it('given an event that names nobody, when its anonymous and device ids are unknown, then the fast path takes it', () => {
    expect(needsIdentification({ ...none, anonymous: { owned: false }, device: { roots: [] } })).toBe(false);
  });
  it('given a strong identifier nobody owns, then it needs identification', () => {
    expect(needsIdentification({ ...none, strongRoots: [undefined] })).toBe(true);
  });
  it('given strong identifiers of two people, then it needs identification (a possible merge)', () => {
    expect(needsIdentification({ ...none, strongRoots: ['r1', 'r2'] })).toBe(true);
  });
  it('given an explicit customer whose strong identifier belongs to someone else, then it needs identification', () => {
    expect(needsIdentification({ ...none, explicitRoot: 'r1', strongRoots: ['r2'] })).toBe(true);
    expect(needsIdentification({ ...none, explicitRoot: 'r1', strongRoots: ['r1'] })).toBe(false);
  });
  it('given a named person, when the anonymous id is not linked yet, then it needs identification', () => {
    expect(needsIdentification({ ...none, explicitRoot: 'r1', anonymous: { owned: false } })).toBe(true);
    expect(needsIdentification({ ...none, explicitRoot: 'r1', anonymous: { owned: true } })).toBe(false);
  });
  it('given a named person, when the device is not linked to that person, then it needs identification', () => {
    expect(needsIdentification({ ...none, strongRoots: ['r1'], device: { roots: ['r2'] } })).toBe(true);
    expect(needsIdentification({ ...none, strongRoots: ['r1'], device: { roots: ['r2', 'r1'] } })).toBe(false);
    expect(needsIdentification({ ...none, explicitRoot: 'r3', strongRoots: ['r3'], device: { roots: ['r3'] } })).toBe(
      false,
    );
  });
  it('given the explicit customer and a device of theirs, when strong ids are absent, then the device is checked against the explicit person', () => {
    expect(needsIdentification({ ...none, explicitRoot: 'r1', device: { roots: ['r1'] } })).toBe(false);
    expect(needsIdentification({ ...none, explicitRoot: 'r1', device: { roots: [] } })).toBe(true);
  });
});
