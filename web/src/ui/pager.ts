/**
 * Cursor pagination state for tables: the API gives only `next_cursor`, so going back means
 * remembering the cursors that led to each page. Pure.
 */
export interface Pager {
  /** cursors[i] fetched page i (null: the first page). */
  cursors: (string | null)[];
  page: number;
}

export const firstPage = (): Pager => ({ cursors: [null], page: 0 });

export const currentCursor = (p: Pager): string | null => p.cursors[p.page] ?? null;

export function nextPage(p: Pager, nextCursor: string | null | undefined): Pager {
  if (!nextCursor) return p;
  const cursors = p.cursors.slice(0, p.page + 1);
  cursors.push(nextCursor);
  return { cursors, page: p.page + 1 };
}

export function prevPage(p: Pager): Pager {
  return p.page === 0 ? p : { cursors: p.cursors, page: p.page - 1 };
}

export const hasPrev = (p: Pager): boolean => p.page > 0;
