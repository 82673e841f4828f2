import { z } from 'zod';
import { InvalidError } from './errors';

// Lists are read a page at a time, by keyset: a page asks for the rows after the last one of the
// previous page in the list's order (an index's order), so a deep page costs what the first one
// does, and a row added meanwhile does not shift the next pages. The position travels as an opaque
// cursor: the sort values of that last row, as base64url JSON.

/** One page of a list and the cursor of the next one (null on the last page). */
export interface Page<T> {
  items: T[];
  next: string | null;
}

/** What a caller asks for: rows after the cursor's position (from the start without one), at most `limit`. */
export interface PageRequest<K> {
  after: K | null;
  limit: number;
}

export function encodeCursor(position: unknown[]): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** The position in a cursor, checked against its shape; a cursor that is not ours is a 422 on `cursor`. */
export function decodeCursor<K>(cursor: string | undefined | null, shape: z.ZodType<K>): K | null {
  if (!cursor) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const result = shape.safeParse(parsed);
  if (!result.success) throw new InvalidError('This cursor does not come from this list.', { cursor: 'Use the `next` value of a previous page.' });
  return result.data;
}

/**
 * The page from rows read with `limit + 1`: the extra row only says that a next page exists, and
 * the cursor points after the last row kept.
 */
export function pageOf<T>(rows: T[], limit: number, positionOf: (row: T) => unknown[]): Page<T> {
  const items = rows.slice(0, limit);
  return { items, next: rows.length > limit ? encodeCursor(positionOf(items.at(-1)!)) : null };
}

/** Escapes `%`, `_` and `\` for a LIKE pattern written with `escape '\'`, so a search finds them as typed. */
export function likeContaining(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}
