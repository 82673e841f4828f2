import { sql } from 'kysely';
import type { Db } from '../db/schema';
import type { QuestionnaireDefinition } from '../questionnaires/questionnaire-definition';
import { toRound } from '../rounds/rounds.repository';
import type { RaterGroup, Round } from '../rounds/rounds.types';
import type { Answers } from '../survey/survey.repository';
import type { QuestionnaireVersionSummary } from './questionnaire-version';

/**
 * A leader as norms and team reports take them: an engagement with its latest closed baseline round
 * on one questionnaire version, and that round's published version (docs/anonymity.md, rule 3: only
 * published figures ever leave a round).
 */
export interface LeaderSource {
  engagementId: string;
  clientName: string;
  clientEmail: string;
  organisation: string;
  roundId: string;
  /** The round's latest published version: the figures taken. */
  version: number;
  roundCreatedAt: string;
  closedAt: string | null;
}

/** The rounds whose figures count: closed baselines with a published version. */
function closedBaselines(db: Db) {
  return db
    .selectFrom('rounds')
    .where('rounds.purpose', '=', 'baseline')
    .where('rounds.status', '=', 'closed')
    .where('rounds.published_version', '>', 0);
}

/** Up to `limit` of the coach's closed baselines whose questionnaire version is not recorded yet, with their frozen questionnaire. */
export async function listBaselinesWithoutVersion(db: Db, coachId: string, limit: number): Promise<Array<{ roundId: string; snapshot: QuestionnaireDefinition }>> {
  const rows = await closedBaselines(db)
    .leftJoin('round_questionnaire_versions as versions', 'versions.round_id', 'rounds.id')
    .select(['rounds.id', 'rounds.questionnaire_snapshot'])
    .where('rounds.coach_id', '=', coachId)
    .where('rounds.questionnaire_snapshot', 'is not', null)
    .where('versions.round_id', 'is', null)
    .limit(limit)
    .execute();
  return rows.map((row) => ({ roundId: row.id, snapshot: JSON.parse(row.questionnaire_snapshot!) as QuestionnaireDefinition }));
}

export async function insertRoundVersions(db: Db, rows: Array<QuestionnaireVersionSummary & { roundId: string }>): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('round_questionnaire_versions')
    .values(rows.map((row) => ({ round_id: row.roundId, version: row.version, questionnaire_name: row.questionnaireName, competencies: row.competencies, items: row.items })))
    .onConflict((conflict) => conflict.column('round_id').doNothing())
    .execute();
}

/** A questionnaire version with how many leaders (distinct clients) have a closed baseline on it. */
export interface VersionWithLeaders extends QuestionnaireVersionSummary {
  leaders: number;
}

/**
 * A page of the questionnaire versions of the coach's closed baselines (recorded ones), in the
 * order of the version hash, read with `limit + 1` rows (see pageOf).
 */
export async function listVersionsWithLeaders(db: Db, coachId: string, page: { after: string | null; limit: number }): Promise<VersionWithLeaders[]> {
  const rows = await closedBaselines(db)
    .innerJoin('round_questionnaire_versions as versions', 'versions.round_id', 'rounds.id')
    .innerJoin('engagements', 'engagements.id', 'rounds.engagement_id')
    .select((eb) => [
      'versions.version',
      eb.fn.max('versions.questionnaire_name').as('questionnaire_name'),
      eb.fn.max('versions.competencies').as('competencies'),
      eb.fn.max('versions.items').as('items'),
      sql<number>`count(distinct lower(engagements.client_email))`.as('leaders'),
    ])
    .where('rounds.coach_id', '=', coachId)
    .$if(page.after !== null, (query) => query.where('versions.version', '>', page.after!))
    .groupBy('versions.version')
    .orderBy('versions.version')
    .limit(page.limit + 1)
    .execute();
  return rows.map((row) => ({ version: row.version, questionnaireName: String(row.questionnaire_name), competencies: Number(row.competencies), items: Number(row.items), leaders: Number(row.leaders) }));
}

/** One recorded version, or undefined when none of the coach's closed baselines used it. */
export async function findVersionOfCoach(db: Db, coachId: string, version: string): Promise<VersionWithLeaders | undefined> {
  const rows = await closedBaselines(db)
    .innerJoin('round_questionnaire_versions as versions', 'versions.round_id', 'rounds.id')
    .innerJoin('engagements', 'engagements.id', 'rounds.engagement_id')
    .select((eb) => [
      eb.fn.max('versions.questionnaire_name').as('questionnaire_name'),
      eb.fn.max('versions.competencies').as('competencies'),
      eb.fn.max('versions.items').as('items'),
      sql<number>`count(distinct lower(engagements.client_email))`.as('leaders'),
    ])
    .where('rounds.coach_id', '=', coachId)
    .where('versions.version', '=', version)
    .execute();
  const row = rows[0];
  if (!row || Number(row.leaders) === 0) return undefined;
  return { version, questionnaireName: String(row.questionnaire_name), competencies: Number(row.competencies), items: Number(row.items), leaders: Number(row.leaders) };
}

/**
 * Each of the coach's engagements (all of them, or those of a team) with its latest closed baseline
 * on the questionnaire version, in one statement: light rows, the figures are read apart.
 */
export async function listLeaderSources(db: Db, coachId: string, version: string, teamId: string | null = null): Promise<LeaderSource[]> {
  const latest = closedBaselines(db)
    .innerJoin('round_questionnaire_versions as versions', 'versions.round_id', 'rounds.id')
    .select(['rounds.id', 'rounds.engagement_id', 'rounds.published_version', 'rounds.created_at', 'rounds.closed_at'])
    .select((inner) => inner.fn.agg<number>('row_number').over((over) => over.partitionBy('rounds.engagement_id').orderBy('rounds.created_at', 'desc').orderBy('rounds.id', 'desc')).as('recency'))
    .where('rounds.coach_id', '=', coachId)
    .where('versions.version', '=', version)
    .$if(teamId !== null, (query) => query.where('rounds.engagement_id', 'in', db.selectFrom('team_members').select('engagement_id').where('team_id', '=', teamId!)))
    .as('latest');
  const rows = await db
    .selectFrom(latest)
    .innerJoin('engagements', 'engagements.id', 'latest.engagement_id')
    .select(['latest.id', 'latest.engagement_id', 'latest.published_version', 'latest.created_at', 'latest.closed_at', 'engagements.client_name', 'engagements.client_email', 'engagements.organisation'])
    .where('latest.recency', '=', 1)
    .orderBy('engagements.client_name')
    .orderBy('engagements.id')
    .execute();
  return rows.map((row) => ({
    engagementId: row.engagement_id,
    clientName: row.client_name,
    clientEmail: row.client_email,
    organisation: row.organisation,
    roundId: row.id,
    version: Number(row.published_version),
    roundCreatedAt: row.created_at,
    closedAt: row.closed_at,
  }));
}

/** What the engine needs to build the published reports of several rounds. */
export interface PublishedInputs {
  round: Round;
  groups: RaterGroup[];
  /** Invitations per group when the version was published. */
  invited: Record<string, number>;
  responses: Array<{ groupKey: string; answers: Answers; version: number }>;
}

/**
 * The rounds, their rater groups, their published versions' invitation counts and their published
 * responses, in four statements for all of them.
 */
export async function readPublishedInputs(db: Db, roundIds: string[]): Promise<Map<string, PublishedInputs>> {
  if (roundIds.length === 0) return new Map();
  const [rounds, groups, versions, responses] = await Promise.all([
    db.selectFrom('rounds').selectAll().where('id', 'in', roundIds).execute(),
    db.selectFrom('rater_groups').selectAll().where('round_id', 'in', roundIds).orderBy('round_id').orderBy('position').execute(),
    db
      .selectFrom('round_versions')
      .innerJoin('rounds', (join) => join.onRef('rounds.id', '=', 'round_versions.round_id').onRef('rounds.published_version', '=', 'round_versions.version'))
      .select(['round_versions.round_id', 'round_versions.invited'])
      .where('round_versions.round_id', 'in', roundIds)
      .execute(),
    db
      .selectFrom('responses')
      .select(['round_id', 'group_key', 'answers', 'version'])
      .where('round_id', 'in', roundIds)
      .where('version', 'is not', null)
      .orderBy('round_id')
      .orderBy('id')
      .execute(),
  ]);
  const inputs = new Map<string, PublishedInputs>();
  for (const row of rounds) inputs.set(row.id, { round: toRound(row), groups: [], invited: {}, responses: [] });
  for (const row of groups) inputs.get(row.round_id)?.groups.push({ key: row.key, label: row.label, minimum: Number(row.minimum), anonymous: row.anonymous === 1, self: row.is_self === 1 });
  for (const row of versions) {
    const input = inputs.get(row.round_id);
    if (input) input.invited = JSON.parse(row.invited) as Record<string, number>;
  }
  for (const row of responses) inputs.get(row.round_id)?.responses.push({ groupKey: row.group_key, answers: JSON.parse(row.answers) as Answers, version: Number(row.version) });
  return inputs;
}

/**
 * Of the rounds' versions, those a release still in force gave to the client; with `revokedToo`, every
 * version ever released (what was shown once stays known to whoever saw it).
 */
export async function listReleasedVersions(db: Db, roundIds: string[], options: { revokedToo?: boolean } = {}): Promise<Set<string>> {
  if (roundIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('report_releases')
    .select(['round_id', 'report_version'])
    .where('round_id', 'in', roundIds)
    .$if(!options.revokedToo, (query) => query.where('revoked_at', 'is', null))
    .where('report_version', 'is not', null)
    .execute();
  return new Set(rows.map((row) => `${row.round_id}:${Number(row.report_version)}`));
}
