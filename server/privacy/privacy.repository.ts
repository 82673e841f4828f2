import { deleteEngagements } from '../engagements/engagements.repository';
import { sql } from 'kysely';
import type { Db } from '../db/schema';

export async function readSetting(db: Db, key: string): Promise<{ value: string; updatedOn: string } | undefined> {
  const row = await db.selectFrom('installation_settings').select(['value', 'updated_on']).where('key', '=', key).executeTakeFirst();
  return row && { value: row.value, updatedOn: row.updated_on };
}

export async function writeSetting(db: Db, key: string, value: string, day: string): Promise<void> {
  await db
    .insertInto('installation_settings')
    .values({ key, value, updated_on: day })
    .onConflict((conflict) => conflict.column('key').doUpdateSet({ value, updated_on: day }))
    .execute();
}

/** Everything held about one email address, row by row, for a subject access request. */
export interface PersonalRecords {
  coaches: Array<{ id: string; email: string; name: string; isAdmin: boolean; createdAt: string; engagements: number }>;
  /** Engagements whose client has this address. */
  clients: Array<{ id: string; coachName: string; clientName: string; clientEmail: string; organisation: string; role: string; startDate: string; notes: string; stage: string; closingNote: string; createdAt: string; archivedAt: string | null; rounds: number }>;
  invitations: Array<{ id: string; roundId: string; roundPurpose: string; roundStatus: string; clientName: string; coachName: string; groupLabel: string; email: string; name: string; status: string; statusOn: string | null; declineReason: string | null; noticeVersion: number | null; noticeReadOn: string | null; hasDraft: boolean }>;
  nominations: Array<{ id: string; roundId: string; clientName: string; email: string; name: string; status: string }>;
  messages: Array<{ id: string; kind: string; subject: string; status: string; createdAt: string; sentAt: string | null }>;
  signInFailures: Array<{ failedAt: string }>;
  coachInvitations: Array<{ id: string; createdAt: string; expiresAt: string; acceptedAt: string | null }>;
}

/** Rows keyed by this address, case-insensitively (addresses are stored lower-cased, but not always were). */
export async function findPersonalRecords(db: Db, email: string): Promise<PersonalRecords> {
  const address = email.trim().toLowerCase();
  const coachRows = await db
    .selectFrom('coaches')
    .select(['id', 'email', 'name', 'is_admin', 'created_at', (eb) => eb.selectFrom('engagements').select((inner) => inner.fn.countAll<number>().as('n')).whereRef('engagements.coach_id', '=', 'coaches.id').as('engagements')])
    .where((eb) => eb(eb.fn('lower', ['email']), '=', address))
    .execute();
  const clientRows = await db
    .selectFrom('engagements')
    .innerJoin('coaches', 'coaches.id', 'engagements.coach_id')
    .select([
      'engagements.id', 'coaches.name as coach_name', 'client_name', 'client_email', 'organisation', 'role', 'start_date', 'notes', 'stage', 'closing_note', 'engagements.created_at', 'archived_at',
      (eb) => eb.selectFrom('rounds').select((inner) => inner.fn.countAll<number>().as('n')).whereRef('rounds.engagement_id', '=', 'engagements.id').as('rounds'),
    ])
    .where((eb) => eb(eb.fn('lower', ['client_email']), '=', address))
    .execute();
  const invitationRows = await db
    .selectFrom('invitations')
    .innerJoin('rounds', 'rounds.id', 'invitations.round_id')
    .innerJoin('engagements', 'engagements.id', 'rounds.engagement_id')
    .innerJoin('coaches', 'coaches.id', 'rounds.coach_id')
    .leftJoin('rater_groups', (join) => join.onRef('rater_groups.round_id', '=', 'invitations.round_id').onRef('rater_groups.key', '=', 'invitations.group_key'))
    .select([
      'invitations.id', 'invitations.round_id', 'rounds.purpose', 'rounds.status as round_status', 'engagements.client_name', 'coaches.name as coach_name', 'rater_groups.label',
      'invitations.email', 'invitations.name', 'invitations.status', 'invitations.status_on', 'invitations.decline_reason', 'invitations.notice_version', 'invitations.notice_read_on',
      (eb) => eb.exists(eb.selectFrom('drafts').select('invitation_id').whereRef('drafts.invitation_id', '=', 'invitations.id')).as('has_draft'),
    ])
    .where((eb) => eb(eb.fn('lower', ['invitations.email']), '=', address))
    .execute();
  const nominationRows = await db
    .selectFrom('nominations')
    .innerJoin('rounds', 'rounds.id', 'nominations.round_id')
    .innerJoin('engagements', 'engagements.id', 'rounds.engagement_id')
    .select(['nominations.id', 'nominations.round_id', 'engagements.client_name', 'nominations.email', 'nominations.name', 'nominations.status'])
    .where((eb) => eb(eb.fn('lower', ['nominations.email']), '=', address))
    .execute();
  const messageRows = await db
    .selectFrom('outbox')
    .select(['id', 'kind', 'subject', 'status', 'created_at', 'sent_at'])
    .where((eb) => eb(eb.fn('lower', ['recipient']), '=', address))
    .execute();
  const failureRows = await db.selectFrom('login_failures').select('failed_at').where((eb) => eb(eb.fn('lower', ['email']), '=', address)).execute();
  const coachInvitationRows = await db
    .selectFrom('coach_invitations')
    .select(['id', 'created_at', 'expires_at', 'accepted_at'])
    .where((eb) => eb(eb.fn('lower', ['email']), '=', address))
    .execute();
  return {
    coaches: coachRows.map((row) => ({ id: row.id, email: row.email, name: row.name, isAdmin: Number(row.is_admin) === 1, createdAt: row.created_at, engagements: Number(row.engagements) })),
    clients: clientRows.map((row) => ({
      id: row.id, coachName: row.coach_name, clientName: row.client_name, clientEmail: row.client_email, organisation: row.organisation, role: row.role, startDate: row.start_date,
      notes: row.notes, stage: row.stage, closingNote: row.closing_note, createdAt: row.created_at, archivedAt: row.archived_at, rounds: Number(row.rounds),
    })),
    invitations: invitationRows.map((row) => ({
      id: row.id, roundId: row.round_id, roundPurpose: row.purpose, roundStatus: row.round_status, clientName: row.client_name, coachName: row.coach_name, groupLabel: row.label ?? '',
      email: row.email, name: row.name, status: row.status, statusOn: row.status_on, declineReason: row.decline_reason,
      noticeVersion: row.notice_version === null ? null : Number(row.notice_version), noticeReadOn: row.notice_read_on, hasDraft: Boolean(row.has_draft),
    })),
    nominations: nominationRows.map((row) => ({ id: row.id, roundId: row.round_id, clientName: row.client_name, email: row.email, name: row.name, status: row.status })),
    messages: messageRows.map((row) => ({ id: row.id, kind: row.kind, subject: row.subject, status: row.status, createdAt: row.created_at, sentAt: row.sent_at })),
    signInFailures: failureRows.map((row) => ({ failedAt: row.failed_at })),
    coachInvitations: coachInvitationRows.map((row) => ({ id: row.id, createdAt: row.created_at, expiresAt: row.expires_at, acceptedAt: row.accepted_at })),
  };
}

/**
 * Erases a rater's personal data from invitations: the address becomes a placeholder that names no
 * one (invitations keep their group and status, so response rates stay right), the name and decline
 * reason go, and the saved draft and every link of the invitation are deleted.
 */
export async function eraseInvitations(db: Db, invitationIds: readonly string[]): Promise<number> {
  if (invitationIds.length === 0) return 0;
  await db.deleteFrom('drafts').where('invitation_id', 'in', invitationIds).execute();
  await db.deleteFrom('invitation_tokens').where('invitation_id', 'in', invitationIds).execute();
  const result = await db
    .updateTable('invitations')
    .set({ email: sql<string>`'erased-' || ${sql.ref('id')}`, name: '', decline_reason: null })
    .where('id', 'in', invitationIds)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function deleteNominations(db: Db, ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await db.deleteFrom('nominations').where('id', 'in', ids).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function deleteMessages(db: Db, ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await db.deleteFrom('outbox').where('id', 'in', ids).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function deleteSignInFailures(db: Db, email: string): Promise<number> {
  const result = await db.deleteFrom('login_failures').where((eb) => eb(eb.fn('lower', ['email']), '=', email.trim().toLowerCase())).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function deleteCoachInvitations(db: Db, ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await db.deleteFrom('coach_invitations').where('id', 'in', ids).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Deletes coach accounts with everything they own (their engagements as deleteEngagements does; sessions and the rest cascade). */
export async function deleteCoaches(db: Db, ids: readonly string[]): Promise<number> {
  if (ids.length === 0) return 0;
  await deleteEngagements(db, (await db.selectFrom('engagements').select('id').where('coach_id', 'in', ids).execute()).map((row) => row.id));
  const result = await db.deleteFrom('coaches').where('id', 'in', ids).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Archived engagements whose raters' data is due for erasure: archived on or before `archivedBy`, not done yet. */
export async function listEngagementsDueForErasure(db: Db, archivedBy: string, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('engagements')
    .select('id')
    .where('archived_at', 'is not', null)
    .where('archived_at', '<=', archivedBy)
    .where('rater_data_erased_on', 'is', null)
    .limit(limit)
    .execute();
  return rows.map((row) => row.id);
}

/** The personal data of an engagement's raters: invitations not erased yet, nominations, messages of its rounds. */
export async function raterDataOfEngagement(db: Db, engagementId: string): Promise<{ invitationIds: string[]; nominationIds: string[]; messageIds: string[] }> {
  const rounds = db.selectFrom('rounds').select('id').where('engagement_id', '=', engagementId);
  const [invitations, nominations, messages] = await Promise.all([
    db.selectFrom('invitations').select('id').where('round_id', 'in', rounds).where('email', 'not like', 'erased-%').execute(),
    db.selectFrom('nominations').select('id').where('round_id', 'in', rounds).execute(),
    db.selectFrom('outbox').select('id').where('round_id', 'in', rounds).execute(),
  ]);
  return { invitationIds: invitations.map((row) => row.id), nominationIds: nominations.map((row) => row.id), messageIds: messages.map((row) => row.id) };
}

export async function markRaterDataErased(db: Db, engagementId: string, day: string): Promise<void> {
  await db.updateTable('engagements').set({ rater_data_erased_on: day }).where('id', '=', engagementId).execute();
}
