import { sql, type ExpressionBuilder } from 'kysely';
import type { Database, Db, TeamsTable } from '../db/schema';
import { searchText } from '../engagements/engagements.repository';
import { likeContaining, type PageRequest } from '../lists';

/** A coach's set of engagements on one questionnaire version, seen together in a team report. */
export interface Team {
  id: string;
  coachId: string;
  name: string;
  questionnaireVersion: string;
  questionnaireName: string;
  members: number;
  createdAt: string;
  updatedAt: string;
}

/** An engagement as the team pages list it. */
export interface TeamMember {
  engagementId: string;
  clientName: string;
  organisation: string;
  role: string;
}

/** Where a page of the team list starts: after the team last changed at `updatedAt` with this id. */
export type TeamPosition = [updatedAt: string, id: string];
/** Where a page of members or candidates starts: after this client name and engagement id. */
export type MemberPosition = [clientName: string, engagementId: string];

function teamQuery(db: Db) {
  return db
    .selectFrom('teams')
    .selectAll('teams')
    .select((eb) => eb.selectFrom('team_members').select((inner) => inner.fn.countAll<number>().as('count')).whereRef('team_members.team_id', '=', 'teams.id').as('members'));
}

function toTeam(row: TeamsTable & { members: number | string | bigint | null }): Team {
  return {
    id: row.id,
    coachId: row.coach_id,
    name: row.name,
    questionnaireVersion: row.questionnaire_version,
    questionnaireName: row.questionnaire_name,
    members: Number(row.members ?? 0),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function insertTeam(db: Db, team: Omit<Team, 'members'>): Promise<void> {
  await db
    .insertInto('teams')
    .values({ id: team.id, coach_id: team.coachId, name: team.name, questionnaire_version: team.questionnaireVersion, questionnaire_name: team.questionnaireName, created_at: team.createdAt, updated_at: team.updatedAt })
    .execute();
}

/** Only ever the coach's own team. */
export async function findOwnTeam(db: Db, coachId: string, id: string): Promise<Team | undefined> {
  const row = await teamQuery(db).where('teams.id', '=', id).where('teams.coach_id', '=', coachId).executeTakeFirst();
  return row && toTeam(row);
}

/** A page of the coach's teams, most recently changed first, read with `limit + 1` rows. */
export async function listOwnTeams(db: Db, coachId: string, page: PageRequest<TeamPosition>): Promise<Team[]> {
  const rows = await teamQuery(db)
    .where('teams.coach_id', '=', coachId)
    .$if(page.after !== null, (query) => {
      const [updatedAt, id] = page.after!;
      return query.where((eb) => eb.or([eb('teams.updated_at', '<', updatedAt), eb.and([eb('teams.updated_at', '=', updatedAt), eb('teams.id', '<', id)])]));
    })
    .orderBy('teams.updated_at', 'desc')
    .orderBy('teams.id', 'desc')
    .limit(page.limit + 1)
    .execute();
  return rows.map(toTeam);
}

export async function updateTeam(db: Db, id: string, fields: { name?: string }, now: string): Promise<void> {
  await db.updateTable('teams').set({ ...(fields.name === undefined ? {} : { name: fields.name }), updated_at: now }).where('id', '=', id).execute();
}

export async function deleteTeam(db: Db, id: string): Promise<void> {
  await db.deleteFrom('teams').where('id', '=', id).execute();
}

export async function insertMembers(db: Db, teamId: string, engagementIds: readonly string[], now: string): Promise<void> {
  if (engagementIds.length === 0) return;
  await db
    .insertInto('team_members')
    .values(engagementIds.map((engagementId) => ({ team_id: teamId, engagement_id: engagementId, added_at: now })))
    .onConflict((conflict) => conflict.columns(['team_id', 'engagement_id']).doNothing())
    .execute();
}

export async function deleteMembers(db: Db, teamId: string, engagementIds: readonly string[]): Promise<number> {
  if (engagementIds.length === 0) return 0;
  const result = await db.deleteFrom('team_members').where('team_id', '=', teamId).where('engagement_id', 'in', engagementIds).executeTakeFirst();
  return Number(result.numDeletedRows);
}

const memberColumns = ['engagements.id', 'engagements.client_name', 'engagements.organisation', 'engagements.role'] as const;

function toMember(row: { id: string; client_name: string; organisation: string; role: string }): TeamMember {
  return { engagementId: row.id, clientName: row.client_name, organisation: row.organisation, role: row.role };
}

/** Engagements after the position, by (client name, id): the next page's keyset condition. */
function afterMember(after: MemberPosition) {
  const [clientName, id] = after;
  return (eb: ExpressionBuilder<Database, 'engagements'>) =>
    eb.or([eb('engagements.client_name', '>', clientName), eb.and([eb('engagements.client_name', '=', clientName), eb('engagements.id', '>', id)])]);
}

/** A page of the team's members by client name, read with `limit + 1` rows. */
export async function listMembers(db: Db, teamId: string, page: PageRequest<MemberPosition>): Promise<TeamMember[]> {
  const rows = await db
    .selectFrom('team_members')
    .innerJoin('engagements', 'engagements.id', 'team_members.engagement_id')
    .select(memberColumns)
    .where('team_members.team_id', '=', teamId)
    .$if(page.after !== null, (query) => query.where(afterMember(page.after!)))
    .orderBy('engagements.client_name').orderBy('engagements.id').limit(page.limit + 1).execute();
  return rows.map(toMember);
}

/** Every member of the team (a team holds at most a few dozen), by client name. */
export async function listAllMembers(db: Db, teamId: string): Promise<TeamMember[]> {
  const rows = await db
    .selectFrom('team_members')
    .innerJoin('engagements', 'engagements.id', 'team_members.engagement_id')
    .select(memberColumns)
    .where('team_members.team_id', '=', teamId)
    .orderBy('engagements.client_name')
    .orderBy('engagements.id')
    .execute();
  return rows.map(toMember);
}

/** What narrows the engagements a team may take. */
export interface CandidateFilter {
  /** Searched in client names and organisations as the engagement list searches (any case, accents ignored); '' for all. */
  search: string;
  /** Exactly this organisation (any case), or null for any. */
  organisation: string | null;
}

/**
 * A page of the coach's engagements that may join the team: not in it yet, with a closed baseline
 * on the team's questionnaire version (recorded in round_questionnaire_versions), by client name.
 */
export async function listCandidates(db: Db, coachId: string, team: { id: string; questionnaireVersion: string }, filter: CandidateFilter, page: PageRequest<MemberPosition>): Promise<TeamMember[]> {
  const rows = await db
    .selectFrom('engagements')
    .select(memberColumns)
    .where('engagements.coach_id', '=', coachId)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('rounds')
          .innerJoin('round_questionnaire_versions as versions', 'versions.round_id', 'rounds.id')
          .select('rounds.id')
          .whereRef('rounds.engagement_id', '=', 'engagements.id')
          .where('rounds.purpose', '=', 'baseline')
          .where('rounds.status', '=', 'closed')
          .where('rounds.published_version', '>', 0)
          .where('versions.version', '=', team.questionnaireVersion),
      ),
    )
    .where((eb) => eb.not(eb.exists(eb.selectFrom('team_members').select('team_members.engagement_id').whereRef('team_members.engagement_id', '=', 'engagements.id').where('team_members.team_id', '=', team.id))))
    .$if(filter.search !== '', (q) => q.where(sql<boolean>`engagements.search_text like ${likeContaining(searchText(filter.search))} escape '\\'`))
    .$if(filter.organisation !== null, (q) => q.where(sql<boolean>`lower(engagements.organisation) = ${filter.organisation!.toLowerCase()}`))
    .$if(page.after !== null, (query) => query.where(afterMember(page.after!)))
    .orderBy('engagements.client_name').orderBy('engagements.id').limit(page.limit + 1).execute();
  return rows.map(toMember);
}

/** Leaders behind each figure of a team report as shown: leader keys (engagement:round:version) and, per subject, indexes into them. */
export interface StoredFootprint {
  leaders: string[];
  subjects: Record<string, number[]>;
}

/** Every team report the coach was shown on a questionnaire version, oldest first. */
export async function listShownTeamReports(db: Db, coachId: string, questionnaireVersion: string): Promise<StoredFootprint[]> {
  const rows = await db
    .selectFrom('shown_team_reports')
    .select('footprint')
    .where('coach_id', '=', coachId)
    .where('questionnaire_version', '=', questionnaireVersion)
    .orderBy('first_shown_at')
    .orderBy('id')
    .execute();
  return rows.map((row) => JSON.parse(row.footprint) as StoredFootprint);
}

export async function hasShownTeamReport(db: Db, coachId: string, questionnaireVersion: string, signature: string): Promise<boolean> {
  const row = await db
    .selectFrom('shown_team_reports')
    .select('id')
    .where('coach_id', '=', coachId)
    .where('questionnaire_version', '=', questionnaireVersion)
    .where('signature', '=', signature)
    .executeTakeFirst();
  return row !== undefined;
}

export async function insertShownTeamReport(
  db: Db,
  row: { id: string; coachId: string; questionnaireVersion: string; teamId: string; signature: string; footprint: StoredFootprint; shownAt: string },
): Promise<void> {
  await db
    .insertInto('shown_team_reports')
    .values({ id: row.id, coach_id: row.coachId, questionnaire_version: row.questionnaireVersion, team_id: row.teamId, signature: row.signature, footprint: JSON.stringify(row.footprint), first_shown_at: row.shownAt })
    .onConflict((conflict) => conflict.columns(['coach_id', 'questionnaire_version', 'signature']).doNothing())
    .execute();
}
