import { describe, expect, it } from 'vitest';
import { currentCursor, firstPage, hasPrev, nextPage, prevPage } from './pager';

describe('cursor pager', () => {
  it('walks forward with next_cursor and back through the remembered cursors', () => {
    let p = firstPage();
    expect(currentCursor(p)).toBeNull();
    expect(hasPrev(p)).toBe(false);
    p = nextPage(p, 'c1');
    p = nextPage(p, 'c2');
    expect(currentCursor(p)).toBe('c2');
    p = prevPage(p);
    expect(currentCursor(p)).toBe('c1');
    p = prevPage(p);
    expect(currentCursor(p)).toBeNull();
    expect(prevPage(p)).toBe(p);
  });
  it('stays on the last page when there is no next cursor', () => {
    const p = nextPage(firstPage(), 'c1');
    expect(nextPage(p, null)).toBe(p);
  });
  it('forgets the pages ahead when a different branch is taken', () => {
    let p = nextPage(nextPage(firstPage(), 'a'), 'b');
    p = nextPage(prevPage(p), 'b2');
    expect(p.cursors).toEqual([null, 'a', 'b2']);
  });
});
