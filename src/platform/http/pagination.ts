import { Type, type TSchema } from '@sinclair/typebox';
import { problems } from './problems.js';

/**
 * Cursor pagination: the cursor is the opaque, base64url-encoded sort key of the last item served.
 * Lists are ordered by a unique key (usually the sortable id), so a page never skips or repeats rows
 * when others are inserted meanwhile.
 */
export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 512 })),
};

export function Page<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), next_cursor: Type.Union([Type.String(), Type.Null()]) });
}

export function encodeCursor(key: unknown): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor<T = string>(cursor: string | undefined): T | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as T;
  } catch {
    throw problems.field('cursor', 'is not a cursor this API issued');
  }
}

/** Given limit+1 rows fetched, returns the page and the cursor of its last row. */
export function pageOf<R>(
  rows: R[],
  limit: number,
  keyOf: (row: R) => unknown,
): { items: R[]; next_cursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, next_cursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null };
}
