import type { Selectable } from 'kysely';
import type { Db, RaterGroupsTable, RoundRow } from '../db/schema';
import { isPostgres } from '../db/connect';
import { SOURCE_LANGUAGE, type Language } from '../i18n/languages';
import { languageOf } from './round-languages';
import type { QuestionnaireDefinition } from '../questionnaires/questionnaire-definition';
import type { NewRound, RaterGroup, Round, RoundPurpose, RoundSummary } from './rounds.types';

// server/survey/ reads invitations and rater groups together with their round from here.
export { toInvitation } from './invitations.repository';
export type { Invitation, RaterGroup, Round } from './rounds.types';

export function toRound(row: RoundRow): Round {
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
    language: languageOf(row.language),
  };
}

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
      language: round.language,
    })
    .execute();
  await replaceRaterGroups(db, round.id, groups);
}

export async function replaceRaterGroups(db: Db, roundId: string, groups: RaterGroup[]): Promise<void> {
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
  fields: { questionnaireId: string; purpose: RoundPurpose; deadline: string; message: string; k: number; tau: number | null; language: Language },
): Promise<void> {
  await db
    .updateTable('rounds')
    .set({ questionnaire_id: fields.questionnaireId, purpose: fields.purpose, deadline: fields.deadline, message: fields.message, k: fields.k, tau: fields.tau, language: fields.language })
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .execute();
}

export async function setDraftRoundLanguage(db: Db, id: string, language: Language): Promise<void> {
  await db.updateTable('rounds').set({ language }).where('id', '=', id).where('status', '=', 'draft').execute();
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

function toRaterGroup(row: Selectable<RaterGroupsTable>): RaterGroup {
  return { key: row.key, label: row.label, minimum: Number(row.minimum), anonymous: row.anonymous === 1, self: row.is_self === 1 };
}

export async function listRoundGroups(db: Db, roundId: string): Promise<RaterGroup[]> {
  const rows = await db.selectFrom('rater_groups').selectAll().where('round_id', '=', roundId).orderBy('position').execute();
  return rows.map(toRaterGroup);
}

/** The rater groups of an engagement's published rounds of one purpose (the pulse trend), in one statement. */
export async function listGroupsOfPublishedRounds(db: Db, rounds: { engagementId: string; purpose: RoundPurpose }): Promise<Map<string, RaterGroup[]>> {
  const rows = await db
    .selectFrom('rater_groups')
    .innerJoin('rounds', 'rounds.id', 'rater_groups.round_id')
    .selectAll('rater_groups')
    .where('rounds.engagement_id', '=', rounds.engagementId)
    .where('rounds.purpose', '=', rounds.purpose)
    .where('rounds.published_version', '>', 0)
    .orderBy('rater_groups.round_id')
    .orderBy('rater_groups.position')
    .execute();
  const groups = new Map<string, RaterGroup[]>();
  for (const row of rows) groups.set(row.round_id, [...(groups.get(row.round_id) ?? []), toRaterGroup(row)]);
  return groups;
}

/** The latest round of each of the engagements, in one statement. */
export async function listLatestRounds(db: Db, engagementIds: string[]): Promise<Map<string, RoundSummary>> {
  if (engagementIds.length === 0) return new Map();
  const rows = await db
    .selectFrom((eb) =>
      eb
        .selectFrom('rounds')
        .select(['id', 'engagement_id', 'purpose', 'status', 'deadline', 'published_version'])
        .select((inner) => inner.fn.agg<number>('row_number').over((over) => over.partitionBy('engagement_id').orderBy('created_at', 'desc').orderBy('id', 'desc')).as('recency'))
        .where('engagement_id', 'in', engagementIds)
        .as('ranked'),
    )
    .selectAll()
    .where('recency', '=', 1)
    .execute();
  return new Map(
    rows.map((row) => [
      row.engagement_id,
      { id: row.id, engagementId: row.engagement_id, purpose: row.purpose, status: row.status, deadline: row.deadline, publishedVersion: Number(row.published_version) },
    ]),
  );
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

/** The engagement's language: its client's self-assessment is in it, and a new round starts in it. */
export async function findEngagementLanguage(db: Db, engagementId: string): Promise<Language> {
  const row = await db.selectFrom('engagements').select('language').where('id', '=', engagementId).executeTakeFirst();
  return languageOf(row?.language ?? SOURCE_LANGUAGE);
}
