import type { Db } from '../db/schema';

export interface RateLimitWindow {
  limiter: string;
  key: string;
  windowStart: string;
  expiresAt: string;
}

/**
 * Counts one hit in its window and returns the window's count. One upsert, atomic on SQLite and
 * PostgreSQL alike, so hits counted at the same moment by several instances are all counted.
 */
export async function countHit(db: Db, window: RateLimitWindow): Promise<number> {
  const row = await db
    .insertInto('rate_limit_windows')
    .values({ limiter: window.limiter, key: window.key, window_start: window.windowStart, hits: 1, expires_at: window.expiresAt })
    .onConflict((conflict) => conflict.columns(['limiter', 'key', 'window_start']).doUpdateSet((eb) => ({ hits: eb('rate_limit_windows.hits', '+', 1) })))
    .returning('hits')
    .executeTakeFirstOrThrow();
  return Number(row.hits);
}

export async function deleteEndedWindows(db: Db, now: string): Promise<number> {
  const result = await db.deleteFrom('rate_limit_windows').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
