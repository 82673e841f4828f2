import type { Db } from '../db/schema';
import { isPostgres } from '../db/connect';
import type { InvitationRow, RoundRow, RoundsTable } from '../db/schema';
import type { QuestionnaireDefinition } from '../questionnaires/questionnaire-definition';
import type { RaterGroup } from '../../reports/types';

export type { RaterGroup };

export type RoundPurpose = RoundsTable['purpose'];
export type RoundStatus = RoundsTable['status'];
export type InvitationStatus = InvitationRow['status'];

export interface Round {
  id: string;
  coachId: string;
  engagementId: string;
  questionnaireId: string | null;
  snapshot: QuestionnaireDefinition | null;
  purpose: RoundPurpose;
  status: RoundStatus;
  deadline: string;
  message: string;
  k: number;
  tau: number | null;
  baselineRoundId: string | null;
  nominationRequestedAt: string | null;
  nominationSubmittedAt: string | null;
  createdAt: string;
  launchedAt: string | null;
  closedAt: string | null;
  reopenedAt: string | null;
  /** Pulse rounds: the day the question counts from ("Since 3 March, has…"). */
  pulseSince: string | null;
  /** The latest published version of the round's figures; 0 while none is (docs/anonymity.md, rule 3). */
  publishedVersion: number;
}


export interface Invitation {
  id: string;
  roundId: string;
  groupKey: string;
  email: string;
  name: string;
  isClient: boolean;
  status: InvitationStatus;
  statusOn: string | null;
  declineReason: string | null;
  lastRemindedOn: string | null;
}

export interface Nomination {
  id: string;
  groupKey: string;
  email: string;
  name: string;
  status: 'proposed' | 'approved' | 'rejected';
}

function toRound(row: RoundRow): Round {
  return {
    id: row.id,
    coachId: row.coach_id,
    engagementId: row.engagement_id,
    questionnaireId: row.questionnaire_id,
    snapshot: row.questionnaire_snapshot ? (JSON.parse(row.questionnaire_snapshot) as QuestionnaireDefinition) : null,
    purpose: row.purpose,
    status: row.status,
    deadline: row.deadline,
    message: row.message,
    k: Number(row.k),
    tau: row.tau === null ? null : Number(row.tau),
    baselineRoundId: row.baseline_round_id,
    nominationRequestedAt: row.nomination_requested_at,
    nominationSubmittedAt: row.nomination_submitted_at,
    createdAt: row.created_at,
    launchedAt: row.launched_at,
    closedAt: row.closed_at,
    reopenedAt: row.reopened_at,
    pulseSince: row.pulse_since,
    publishedVersion: Number(row.published_version),
  };
}

export function toInvitation(row: InvitationRow): Invitation {
  return {
    id: row.id,
    roundId: row.round_id,
    groupKey: row.group_key,
    email: row.email,
    name: row.name,
    isClient: row.is_client === 1,
    status: row.status,
    statusOn: row.status_on,
    declineReason: row.decline_reason,
    lastRemindedOn: row.last_reminded_on,
  };
}

/** What creating a round sets; status, nomination and launch times start empty. */
export type NewRound = Pick<
  Round,
  'id' | 'coachId' | 'engagementId' | 'questionnaireId' | 'snapshot' | 'purpose' | 'deadline' | 'message' | 'k' | 'tau' | 'baselineRoundId' | 'createdAt'
> &
  Partial<Pick<Round, 'pulseSince'>>;

export async function insertRound(db: Db, round: NewRound, groups: RaterGroup[]): Promise<void> {
  await db
    .insertInto('rounds')
    .values({
      id: round.id,
      coach_id: round.coachId,
      engagement_id: round.engagementId,
      questionnaire_id: round.questionnaireId,
      questionnaire_snapshot: round.snapshot ? JSON.stringify(round.snapshot) : null,
      purpose: round.purpose,
      status: 'draft',
      deadline: round.deadline,
      message: round.message,
      k: round.k,
      tau: round.tau,
      baseline_round_id: round.baselineRoundId,
      pulse_since: round.pulseSince ?? null,
      created_at: round.createdAt,
    })
    .execute();
  await replaceRoundGroups(db, round.id, groups);
}

export async function replaceRoundGroups(db: Db, roundId: string, groups: RaterGroup[]): Promise<void> {
  await db.deleteFrom('rater_groups').where('round_id', '=', roundId).execute();
  await db
    .insertInto('rater_groups')
    .values(
      groups.map((group, position) => ({
        round_id: roundId,
        key: group.key,
        label: group.label,
        minimum: group.minimum,
        anonymous: group.anonymous ? 1 : 0,
        is_self: group.self ? 1 : 0,
        position,
      })),
    )
    .execute();
}

export async function updateDraftRound(
  db: Db,
  id: string,
  fields: { questionnaireId: string; purpose: RoundPurpose; deadline: string; message: string; k: number; tau: number | null },
): Promise<void> {
  await db
    .updateTable('rounds')
    .set({ questionnaire_id: fields.questionnaireId, purpose: fields.purpose, deadline: fields.deadline, message: fields.message, k: fields.k, tau: fields.tau })
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .execute();
}

/** Only the coach's own round; another coach's id is indistinguishable from an unknown one. */
export async function findOwnRound(db: Db, coachId: string, id: string): Promise<Round | undefined> {
  const row = await db.selectFrom('rounds').selectAll().where('id', '=', id).where('coach_id', '=', coachId).executeTakeFirst();
  return row && toRound(row);
}

export async function findRound(db: Db, id: string): Promise<Round | undefined> {
  const row = await db.selectFrom('rounds').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toRound(row);
}

export async function listEngagementRounds(db: Db, engagementId: string): Promise<Round[]> {
  const rows = await db.selectFrom('rounds').selectAll().where('engagement_id', '=', engagementId).orderBy('created_at').execute();
  return rows.map(toRound);
}

export async function listRoundGroups(db: Db, roundId: string): Promise<RaterGroup[]> {
  const rows = await db.selectFrom('rater_groups').selectAll().where('round_id', '=', roundId).orderBy('position').execute();
  return rows.map((row) => ({ key: row.key, label: row.label, minimum: Number(row.minimum), anonymous: row.anonymous === 1, self: row.is_self === 1 }));
}

/** Opens a draft round with its questionnaire frozen into it; false when it was no longer a draft. */
export async function markRoundLaunched(db: Db, id: string, snapshot: QuestionnaireDefinition, now: string): Promise<boolean> {
  const result = await db
    .updateTable('rounds')
    .set({ status: 'open', questionnaire_snapshot: JSON.stringify(snapshot), launched_at: now })
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function setRoundDeadline(db: Db, id: string, deadline: string): Promise<void> {
  await db.updateTable('rounds').set({ deadline }).where('id', '=', id).execute();
}

export async function setRoundDeadlineAndMessage(db: Db, id: string, deadline: string, message: string): Promise<void> {
  await db.updateTable('rounds').set({ deadline, message }).where('id', '=', id).where('status', '=', 'draft').execute();
}

/** Closes an open round; false when another request or instance closed it first. */
export async function markRoundClosed(db: Db, id: string, now: string): Promise<boolean> {
  const result = await db.updateTable('rounds').set({ status: 'closed', closed_at: now }).where('id', '=', id).where('status', '=', 'open').executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function markRoundReopened(db: Db, id: string, deadline: string, now: string): Promise<boolean> {
  const result = await db
    .updateTable('rounds')
    .set({ status: 'open', deadline, reopened_at: now, closed_at: null })
    .where('id', '=', id)
    .where('status', '=', 'closed')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function listOpenRoundsDueToClose(db: Db, now: string): Promise<Round[]> {
  const rows = await db.selectFrom('rounds').selectAll().where('status', '=', 'open').where('deadline', '<=', now).execute();
  return rows.map(toRound);
}

export async function listOpenRounds(db: Db): Promise<Round[]> {
  const rows = await db.selectFrom('rounds').selectAll().where('status', '=', 'open').execute();
  return rows.map(toRound);
}

export async function setNominationToken(db: Db, id: string, tokenHash: string, now: string): Promise<void> {
  await db.updateTable('rounds').set({ nomination_token_hash: tokenHash, nomination_requested_at: now }).where('id', '=', id).execute();
}

export async function findRoundByNominationToken(db: Db, tokenHash: string): Promise<Round | undefined> {
  const row = await db.selectFrom('rounds').selectAll().where('nomination_token_hash', '=', tokenHash).executeTakeFirst();
  return row && toRound(row);
}

export async function markNominationSubmitted(db: Db, id: string, now: string): Promise<void> {
  await db.updateTable('rounds').set({ nomination_submitted_at: now }).where('id', '=', id).execute();
}

// Invitations

async function nextPosition(db: Db, table: 'invitations' | 'nominations', roundId: string): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.max<number>('position').as('last'))
    .where('round_id', '=', roundId)
    .executeTakeFirst();
  return row?.last === null || row?.last === undefined ? 0 : Number(row.last) + 1;
}

export async function insertInvitations(
  db: Db,
  roundId: string,
  invitations: Array<{ id: string; groupKey: string; email: string; name: string; isClient: boolean; status: InvitationStatus; statusOn: string | null }>,
): Promise<void> {
  if (invitations.length === 0) return;
  const start = await nextPosition(db, 'invitations', roundId);
  await db
    .insertInto('invitations')
    .values(
      invitations.map((invitation, index) => ({
        id: invitation.id,
        round_id: roundId,
        group_key: invitation.groupKey,
        email: invitation.email,
        name: invitation.name,
        is_client: invitation.isClient ? 1 : 0,
        status: invitation.status,
        status_on: invitation.statusOn,
        position: start + index,
      })),
    )
    .execute();
}

export async function listInvitations(db: Db, roundId: string): Promise<Invitation[]> {
  const rows = await db.selectFrom('invitations').selectAll().where('round_id', '=', roundId).orderBy('position').execute();
  return rows.map(toInvitation);
}

export async function findInvitation(db: Db, roundId: string, id: string): Promise<Invitation | undefined> {
  const row = await db.selectFrom('invitations').selectAll().where('round_id', '=', roundId).where('id', '=', id).executeTakeFirst();
  return row && toInvitation(row);
}

export async function deleteInvitation(db: Db, roundId: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom('invitations').where('round_id', '=', roundId).where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/** Pending invitations become invited when their email is queued. */
export async function markInvitationsInvited(db: Db, ids: string[], day: string): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('invitations').set({ status: 'invited', status_on: day }).where('id', 'in', ids).where('status', '=', 'pending').execute();
}

export async function markInvitationsReminded(db: Db, ids: string[], day: string): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('invitations').set({ last_reminded_on: day }).where('id', 'in', ids).execute();
}

export async function insertInvitationTokens(db: Db, tokens: Array<{ invitationId: string; tokenHash: string }>): Promise<void> {
  for (let start = 0; start < tokens.length; start += 500) {
    const chunk = tokens.slice(start, start + 500).map((token) => ({ token_hash: token.tokenHash, invitation_id: token.invitationId }));
    await db.insertInto('invitation_tokens').values(chunk).execute();
  }
}

/** Counts per group and status, for the round page and the report's invited counts. */
export async function countInvitationsByGroupAndStatus(db: Db, roundId: string): Promise<Array<{ groupKey: string; status: InvitationStatus; count: number }>> {
  const rows = await db
    .selectFrom('invitations')
    .select(['group_key', 'status', (eb) => eb.fn.countAll<number>().as('count')])
    .where('round_id', '=', roundId)
    .groupBy(['group_key', 'status'])
    .execute();
  return rows.map((row) => ({ groupKey: row.group_key, status: row.status, count: Number(row.count) }));
}

// Nominations

export async function insertNominations(db: Db, roundId: string, nominations: Array<{ id: string; groupKey: string; email: string; name: string }>): Promise<void> {
  if (nominations.length === 0) return;
  const start = await nextPosition(db, 'nominations', roundId);
  await db
    .insertInto('nominations')
    .values(nominations.map((nomination, index) => ({ ...nominationColumns(nomination), round_id: roundId, status: 'proposed' as const, position: start + index })))
    .execute();
}

function nominationColumns(nomination: { id: string; groupKey: string; email: string; name: string }) {
  return { id: nomination.id, group_key: nomination.groupKey, email: nomination.email, name: nomination.name };
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

export async function updateNomination(db: Db, roundId: string, id: string, fields: { email: string; name: string; groupKey: string }): Promise<void> {
  await db
    .updateTable('nominations')
    .set({ email: fields.email, name: fields.name, group_key: fields.groupKey })
    .where('round_id', '=', roundId)
    .where('id', '=', id)
    .execute();
}

// Automatic reminders

/** Forgets which automatic reminders were sent, so they are counted again from a new deadline. */
export async function clearReminderClaims(db: Db, roundId: string): Promise<void> {
  await db.deleteFrom('round_reminders').where('round_id', '=', roundId).execute();
}

/** Claims the reminder `daysBefore` of a round; only one caller (instance) ever gets true. */
export async function claimReminder(db: Db, roundId: string, daysBefore: number, now: string, skipped: boolean): Promise<boolean> {
  const result = await db
    .insertInto('round_reminders')
    .values({ round_id: roundId, days_before: daysBefore, sent_at: now, skipped: skipped ? 1 : 0 })
    .onConflict((conflict) => conflict.columns(['round_id', 'days_before']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
}

export async function countResponsesByGroup(db: Db, roundId: string): Promise<Record<string, number>> {
  const rows = await db
    .selectFrom('responses')
    .select(['group_key', (eb) => eb.fn.countAll<number>().as('count')])
    .where('round_id', '=', roundId)
    .groupBy('group_key')
    .execute();
  return Object.fromEntries(rows.map((row) => [row.group_key, Number(row.count)]));
}


/** How many email addresses were invited to both rounds: a count only, never who. */
export async function countRatersInBoth(db: Db, firstRoundId: string, secondRoundId: string): Promise<number> {
  const row = await db
    .selectFrom('invitations as first')
    .innerJoin('invitations as second', 'second.email', 'first.email')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('first.round_id', '=', firstRoundId)
    .where('second.round_id', '=', secondRoundId)
    .where('first.status', '!=', 'pending')
    .where('second.status', '!=', 'pending')
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/**
 * Holds the round's row until the transaction ends, so writes that decide on the round's responses
 * (a submission, mixing them, publishing a version) happen one after the other. PostgreSQL: NO KEY
 * UPDATE, which leaves other writers' foreign-key checks unblocked. SQLite has a single writer, but
 * a transaction that reads before it writes cannot wait for another process's write lock (it fails
 * with "database is locked" instead), so this takes the write lock first with a write that changes
 * nothing.
 */
export async function lockRound(db: Db, roundId: string): Promise<void> {
  if (isPostgres(db)) await db.selectFrom('rounds').select('id').where('id', '=', roundId).forNoKeyUpdate().execute();
  else await db.updateTable('rounds').set((eb) => ({ responses_to_mix: eb.ref('responses_to_mix') })).where('id', '=', roundId).execute();
}
