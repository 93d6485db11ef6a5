import { describe, expect, it } from 'vitest';
import { MAX_INFLIGHT, MIN_SECOND, startsBatch } from './batch-window.js';

describe('batch window', () => {
  it('starts a lone request at once when nothing is in flight', () => {
    expect(startsBatch(0, 1)).toBe(true);
  });
  it('starts nothing for an empty queue', () => {
    expect(startsBatch(0, 0)).toBe(false);
    expect(startsBatch(1, 0)).toBe(false);
  });
  it('keeps a few requests for the running batch instead of a tiny second one', () => {
    expect(startsBatch(1, 1)).toBe(false);
    expect(startsBatch(1, MIN_SECOND - 1)).toBe(false);
  });
  it('starts a second batch once enough wait', () => {
    expect(startsBatch(1, MIN_SECOND)).toBe(true);
  });
  it('never runs more than MAX_INFLIGHT batches', () => {
    expect(startsBatch(MAX_INFLIGHT, 10_000)).toBe(false);
  });
});
