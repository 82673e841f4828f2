import { sql, type CompiledQuery } from 'kysely';
import type { Db } from '../db/schema';
import type { QuestionnaireDefinition } from '../questionnaires/questionnaire-definition';
import { lockRound, toInvitation, type Invitation, type Round } from '../rounds/rounds.repository';
import { languageOf } from '../rounds/round-languages';
import { secureShuffle } from '../secrets';

/** A rater's answers: ratings by item id (null = not able to rate) and comments by open question id. */
export interface Answers {
  ratings: Record<string, number | null>;
  comments: Record<string, string>;
}

export interface StoredResponse {
  groupKey: string;
  answers: Answers;
}

export interface SurveyRecord {
  invitation: Invitation;
  round: SurveyRound;
  clientName: string;
  coach: { name: string; email: string };
}

/** What the survey pages need of a round; its questionnaire and groups come from LaunchedRounds. */
export type SurveyRound = Pick<Round, 'id' | 'purpose' | 'status' | 'deadline' | 'message' | 'k' | 'launchedAt' | 'publishedVersion' | 'language'>;

function surveyRecordQuery(db: Db, tokenHash: string) {
  return db
    .selectFrom('invitation_tokens')
    .innerJoin('invitations', 'invitations.id', 'invitation_tokens.invitation_id')
    .innerJoin('rounds', 'rounds.id', 'invitations.round_id')
    .leftJoin('engagements', (join) => join.onRef('engagements.id', '=', 'rounds.engagement_id').onRef('engagements.coach_id', '=', 'rounds.coach_id'))
    .leftJoin('coaches', 'coaches.id', 'rounds.coach_id')
    .selectAll('invitations')
    .select([
      'rounds.purpose as round_purpose',
      'rounds.status as round_status',
      'rounds.deadline as round_deadline',
      'rounds.message as round_message',
      'rounds.k as round_k',
      'rounds.launched_at as round_launched_at',
      'rounds.published_version as round_published_version',
      'rounds.language as round_language',
      'engagements.client_name as client_name',
      'coaches.name as coach_name',
      'coaches.email as coach_email',
    ])
    .where('invitation_tokens.token_hash', '=', tokenHash);
}

type SurveyRecordRow = NonNullable<Awaited<ReturnType<ReturnType<typeof surveyRecordQuery>['executeTakeFirst']>>>;

/**
 * Building and compiling this query with Kysely costs more than running it, and only the token hash
 * changes between calls: it is compiled once per database handle and rerun with the new hash.
 */
const compiledRecordQueries = new WeakMap<Db, CompiledQuery<SurveyRecordRow>>();

/**
 * The invitation behind a link with its round, client name and coach, in one indexed query; the same
 * single query whether the token is wrong or revoked.
 */
export async function findSurveyRecord(db: Db, tokenHash: string): Promise<SurveyRecord | undefined> {
  let compiled = compiledRecordQueries.get(db);
  if (!compiled) {
    compiled = surveyRecordQuery(db, '').compile();
    compiledRecordQueries.set(db, compiled);
  }
  const row = (await db.executeQuery<SurveyRecordRow>({ ...compiled, parameters: [tokenHash] })).rows[0];
  if (!row) return undefined;
  return {
    invitation: toInvitation(row),
    round: {
      id: row.round_id,
      purpose: row.round_purpose,
      status: row.round_status,
      deadline: row.round_deadline,
      message: row.round_message,
      k: Number(row.round_k),
      launchedAt: row.round_launched_at,
      publishedVersion: Number(row.round_published_version),
      language: languageOf(row.round_language),
    },
    clientName: row.client_name ?? '',
    coach: { name: row.coach_name ?? '', email: row.coach_email ?? '' },
  };
}

/** The questionnaire frozen into a round at launch (null before). */
export async function findRoundSnapshot(db: Db, roundId: string): Promise<QuestionnaireDefinition | null> {
  const row = await db.selectFrom('rounds').select('questionnaire_snapshot').where('id', '=', roundId).executeTakeFirst();
  return row?.questionnaire_snapshot ? (JSON.parse(row.questionnaire_snapshot) as QuestionnaireDefinition) : null;
}

export async function markInvitationOpened(db: Db, invitationId: string, day: string): Promise<void> {
  await db.updateTable('invitations').set({ status: 'opened', status_on: day }).where('id', '=', invitationId).where('status', '=', 'invited').execute();
}

/**
 * Marks the invitation answered, with the privacy notice the rater confirmed; only one of two
 * concurrent submissions of the same link succeeds.
 */
export async function markInvitationCompleted(db: Db, invitationId: string, day: string, noticeVersion: number): Promise<boolean> {
  const result = await db
    .updateTable('invitations')
    .set({ status: 'completed', status_on: day, notice_version: noticeVersion, notice_read_on: day })
    .where('id', '=', invitationId)
    .where('status', 'in', ['invited', 'opened'])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function markInvitationDeclined(db: Db, invitationId: string, day: string, reason: string): Promise<boolean> {
  const result = await db
    .updateTable('invitations')
    .set({ status: 'declined', status_on: day, decline_reason: reason || null })
    .where('id', '=', invitationId)
    .where('status', 'in', ['invited', 'opened'])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function findDraft(db: Db, invitationId: string): Promise<Answers | undefined> {
  const row = await db.selectFrom('drafts').select('answers').where('invitation_id', '=', invitationId).executeTakeFirst();
  return row && (JSON.parse(row.answers) as Answers);
}

export async function saveDraft(db: Db, invitationId: string, answers: Answers): Promise<void> {
  await db
    .insertInto('drafts')
    .values({ invitation_id: invitationId, answers: JSON.stringify(answers) })
    .onConflict((conflict) => conflict.column('invitation_id').doUpdateSet({ answers: JSON.stringify(answers) }))
    .execute();
}

export async function deleteDraft(db: Db, invitationId: string): Promise<void> {
  await db.deleteFrom('drafts').where('invitation_id', '=', invitationId).execute();
}

/**
 * Stores a response under its round and rater group only: a random id, no time, no link to the
 * invitation. It is written as not yet mixed, and the round is marked for mixNewResponses, which
 * re-stores it among the others in a random order within a second or so. On PostgreSQL submissions
 * to one round first queue on the round's row (lockRound), which also serialises them with the
 * mixing and with publishing a version.
 */
export async function insertResponse(db: Db, response: { id: string; roundId: string; groupKey: string; answers: Answers }): Promise<void> {
  await lockRound(db, response.roundId);
  await db
    .insertInto('responses')
    .values({ id: response.id, round_id: response.roundId, group_key: response.groupKey, answers: JSON.stringify(response.answers), version: null, mixed: 0 })
    .execute();
  await db.updateTable('rounds').set({ responses_to_mix: 1 }).where('id', '=', response.roundId).where('responses_to_mix', '=', 0).execute();
}

/** Rounds with responses waiting to be mixed, a bounded batch at a time. */
export async function listRoundsToMix(db: Db, limit: number): Promise<string[]> {
  const rows = await db.selectFrom('rounds').select('id').where('responses_to_mix', '=', 1).limit(limit).execute();
  return rows.map((row) => row.id);
}

/**
 * Re-stores up to `batch` responses of a round in a random order: every response not mixed yet
 * (up to the batch), and as many mixed ones, picked at random, as the batch has room for. A page
 * fills its cells from its end in the order they are written, and new overflow pages come from the
 * end of the file, so a response written once would sit where its arrival put it; deleted and
 * written again among others in a random order, its place says nothing about when it came (with
 * secure_delete, SQLite overwrites what the deletes free). On PostgreSQL the rewritten rows share
 * the xmin of this transaction. Returns how many responses of the round still wait.
 */
export async function mixRoundResponses(db: Db, roundId: string, batch: number): Promise<number> {
  await lockRound(db, roundId);
  const fresh = await db.selectFrom('responses').select('id').where('round_id', '=', roundId).where('mixed', '=', 0).limit(batch).execute();
  const old = fresh.length < batch
    ? await db.selectFrom('responses').select('id').where('round_id', '=', roundId).where('mixed', '=', 1).orderBy(sql`random()`).limit(batch - fresh.length).execute()
    : [];
  const ids = [...fresh, ...old].map((row) => row.id);
  if (ids.length) {
    const rows = await db.selectFrom('responses').select(['id', 'round_id', 'group_key', 'answers', 'version']).where('round_id', '=', roundId).where('id', 'in', ids).execute();
    await db.deleteFrom('responses').where('round_id', '=', roundId).where('id', 'in', ids).execute();
    await db.insertInto('responses').values(secureShuffle(rows).map((row) => ({ ...row, mixed: 1 }))).execute();
  }
  const waiting = await db.selectFrom('responses').select((eb) => eb.fn.countAll<number>().as('n')).where('round_id', '=', roundId).where('mixed', '=', 0).executeTakeFirstOrThrow();
  if (Number(waiting.n) === 0) await db.updateTable('rounds').set({ responses_to_mix: 0 }).where('id', '=', roundId).execute();
  return Number(waiting.n);
}

export interface VersionedResponse extends StoredResponse {
  /** The published version the response joined; null while it is in none. */
  version: number | null;
}

export async function listResponses(db: Db, roundId: string): Promise<VersionedResponse[]> {
  const rows = await db.selectFrom('responses').select(['group_key', 'answers', 'version']).where('round_id', '=', roundId).orderBy('id').execute();
  return rows.map((row) => ({ groupKey: row.group_key, answers: JSON.parse(row.answers) as Answers, version: row.version === null ? null : Number(row.version) }));
}
