import { describe, expect, it } from 'vitest';
import { stars } from './reviews-data';

describe('stars', () => {
  it('fills as many stars as the rating, out of five', () => {
    expect(stars(4)).toBe('★★★★☆');
    expect(stars(1)).toBe('★☆☆☆☆');
    expect(stars(5)).toBe('★★★★★');
    expect(stars(9)).toBe('★★★★★');
  });
});
