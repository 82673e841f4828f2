import type { Db } from '../db/schema';
import type { CoachInvitation } from './coaches.types';

export async function insertCoachInvitation(
  db: Db,
  invitation: CoachInvitation & { tokenHash: string },
): Promise<void> {
  await db
    .insertInto('coach_invitations')
    .values({
      id: invitation.id,
      email: invitation.email,
      token_hash: invitation.tokenHash,
      invited_by: invitation.invitedBy,
      created_at: invitation.createdAt,
      expires_at: invitation.expiresAt,
    })
    .execute();
}

export async function findOpenInvitationByToken(db: Db, tokenHash: string, now: string): Promise<CoachInvitation | undefined> {
  const row = await db
    .selectFrom('coach_invitations')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .where('accepted_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return row && { id: row.id, email: row.email, invitedBy: row.invited_by, createdAt: row.created_at, expiresAt: row.expires_at };
}

/** True only for the one request that accepts it: the conditional update makes the link single-use. */
export async function markInvitationAccepted(db: Db, id: string, now: string): Promise<boolean> {
  const result = await db
    .updateTable('coach_invitations')
    .set({ accepted_at: now })
    .where('id', '=', id)
    .where('accepted_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function listOpenInvitations(db: Db, now: string): Promise<CoachInvitation[]> {
  const rows = await db
    .selectFrom('coach_invitations')
    .selectAll()
    .where('accepted_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('created_at', 'desc')
    .execute();
  return rows.map((row) => ({ id: row.id, email: row.email, invitedBy: row.invited_by, createdAt: row.created_at, expiresAt: row.expires_at }));
}

export async function deleteCoachInvitation(db: Db, id: string): Promise<boolean> {
  const result = await db.deleteFrom('coach_invitations').where('id', '=', id).where('accepted_at', 'is', null).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/** Invitations that ran out unaccepted: their link can never work again. */
export async function deleteExpiredInvitations(db: Db, now: string): Promise<number> {
  const result = await db.deleteFrom('coach_invitations').where('accepted_at', 'is', null).where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
