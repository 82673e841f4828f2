import type { Db } from '../db/schema';
import type { Nomination } from './nominations.types';
import { toRound } from './rounds.repository';
import type { Round } from './rounds.types';

export async function setNominationToken(db: Db, roundId: string, tokenHash: string, now: string): Promise<void> {
  await db.updateTable('rounds').set({ nomination_token_hash: tokenHash, nomination_requested_at: now }).where('id', '=', roundId).execute();
}

export async function findRoundByNominationToken(db: Db, tokenHash: string): Promise<Round | undefined> {
  const row = await db.selectFrom('rounds').selectAll().where('nomination_token_hash', '=', tokenHash).executeTakeFirst();
  return row && toRound(row);
}

export async function markNominationSubmitted(db: Db, roundId: string, now: string): Promise<void> {
  await db.updateTable('rounds').set({ nomination_submitted_at: now }).where('id', '=', roundId).execute();
}

export async function insertNominations(db: Db, roundId: string, nominations: Array<Pick<Nomination, 'id' | 'groupKey' | 'email' | 'name'>>): Promise<void> {
  if (nominations.length === 0) return;
  const last = await db
    .selectFrom('nominations')
    .select((eb) => eb.fn.max<number>('position').as('position'))
    .where('round_id', '=', roundId)
    .executeTakeFirst();
  const start = last?.position === null || last?.position === undefined ? 0 : Number(last.position) + 1;
  await db
    .insertInto('nominations')
    .values(
      nominations.map((nomination, index) => ({
        id: nomination.id,
        group_key: nomination.groupKey,
        email: nomination.email,
        name: nomination.name,
        round_id: roundId,
        status: 'proposed' as const,
        position: start + index,
      })),
    )
    .execute();
}

export async function deleteProposedNominations(db: Db, roundId: string): Promise<void> {
  await db.deleteFrom('nominations').where('round_id', '=', roundId).where('status', '=', 'proposed').execute();
}

export async function listNominations(db: Db, roundId: string): Promise<Nomination[]> {
  const rows = await db.selectFrom('nominations').selectAll().where('round_id', '=', roundId).orderBy('position').execute();
  return rows.map((row) => ({ id: row.id, groupKey: row.group_key, email: row.email, name: row.name, status: row.status }));
}

export async function setNominationStatus(db: Db, roundId: string, ids: string[], status: Nomination['status']): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('nominations').set({ status }).where('round_id', '=', roundId).where('id', 'in', ids).execute();
}

export async function updateNomination(db: Db, roundId: string, id: string, fields: Pick<Nomination, 'email' | 'name' | 'groupKey'>): Promise<void> {
  await db
    .updateTable('nominations')
    .set({ email: fields.email, name: fields.name, group_key: fields.groupKey })
    .where('round_id', '=', roundId)
    .where('id', '=', id)
    .execute();
}
