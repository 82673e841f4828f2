import type { Db } from '../db/schema';
import type { ApiToken } from './api-tokens.types';

export async function insertApiToken(db: Db, token: { id: string; coachId: string; name: string; tokenHash: string; createdAt: string }): Promise<void> {
  await db
    .insertInto('api_tokens')
    .values({ id: token.id, coach_id: token.coachId, name: token.name, token_hash: token.tokenHash, created_at: token.createdAt })
    .execute();
}

export async function listApiTokens(db: Db, coachId: string): Promise<ApiToken[]> {
  const rows = await db.selectFrom('api_tokens').selectAll().where('coach_id', '=', coachId).orderBy('created_at', 'desc').execute();
  return rows.map((row) => ({ id: row.id, name: row.name, createdAt: row.created_at, lastUsedOn: row.last_used_on, revokedAt: row.revoked_at }));
}

export async function revokeApiToken(db: Db, coachId: string, id: string, now: string): Promise<boolean> {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: now })
    .where('coach_id', '=', coachId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The coach behind an active token, with the token's id and the day it was last used. */
export async function findActiveApiToken(db: Db, tokenHash: string): Promise<{ id: string; coachId: string; lastUsedOn: string | null } | undefined> {
  const row = await db
    .selectFrom('api_tokens')
    .select(['id', 'coach_id', 'last_used_on'])
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row && { id: row.id, coachId: row.coach_id, lastUsedOn: row.last_used_on };
}

export async function markApiTokenUsed(db: Db, id: string, day: string): Promise<void> {
  await db.updateTable('api_tokens').set({ last_used_on: day }).where('id', '=', id).execute();
}

/** Revokes every token of a coach still working; how many. */
export async function revokeAllApiTokens(db: Db, coachId: string, now: string): Promise<number> {
  const result = await db.updateTable('api_tokens').set({ revoked_at: now }).where('coach_id', '=', coachId).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows);
}
