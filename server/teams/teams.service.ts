/**
 * Team reports: several of a coach's engagements on one questionnaire version (one organisation's
 * leadership team, or any set), seen as a team (reports/team-report.ts). Only published figures
 * feed it (docs/anonymity.md, rule 3): each leader's latest closed baseline on the version, as
 * published. Each leader weighs the same; a leader's own figures appear only when that version of
 * their report was released to them, and the engine withholds a team figure that, less the released
 * leaders' rows, would rest on fewer than k unreleased leaders.
 */
import { buildTeamReport } from '../../reports/index';
import type { TeamLeader, TeamReport } from '../../reports/index';
import type { Clock } from '../clock';
import type { Db } from '../db/schema';
import { ConflictError, InvalidError, NotFoundError } from '../errors';
import { pageOf, type Page, type PageRequest } from '../lists';
import { forEachPublishedReport, getQuestionnaireVersion, leaderSources, recordQuestionnaireVersions, releasedSources, type LeaderSource } from '../norms/leaders.service';
import { LEADER_K } from '../norms/norms.service';
import { newId } from '../secrets';
import { z } from 'zod';
import * as repo from './teams.repository';
import type { MemberPosition, Team, TeamMember, TeamPosition } from './teams.repository';

export type { Team, TeamMember };

/** The most engagements a team holds: its report builds each leader's published report on every view. */
export const MAX_TEAM_MEMBERS = 50;

export const TEAM_POSITION = z.tuple([z.string().max(40), z.string().max(64)]);
export const MEMBER_POSITION = z.tuple([z.string().max(200), z.string().max(64)]);

export async function getTeam(db: Db, coachId: string, id: string): Promise<Team> {
  const team = await repo.findOwnTeam(db, coachId, id);
  if (!team) throw new NotFoundError();
  return team;
}

export async function listTeams(db: Db, coachId: string, page: PageRequest<TeamPosition>): Promise<Page<Team>> {
  return pageOf(await repo.listOwnTeams(db, coachId, page), page.limit, (team) => [team.updatedAt, team.id]);
}

/**
 * Creates a team on one of the coach's questionnaire versions, with the engagements given and, when
 * an organisation is named, every engagement of it that has a closed baseline on the version.
 */
export async function createTeam(
  db: Db,
  clock: Clock,
  coachId: string,
  fields: { name: string; questionnaireVersion: string; organisation?: string; engagementIds?: string[] },
): Promise<Team> {
  const version = await getQuestionnaireVersion(db, coachId, fields.questionnaireVersion);
  const now = clock.now().toISOString();
  const id = newId();
  const team = { id, coachId, name: fields.name, questionnaireVersion: version.version, questionnaireName: version.questionnaireName, createdAt: now, updatedAt: now };
  const fromOrganisation = fields.organisation ? await organisationMembers(db, coachId, team, fields.organisation) : [];
  const chosen = [...new Set([...(fields.engagementIds ?? []), ...fromOrganisation])];
  await checkCandidates(db, coachId, team, chosen, 0);
  await db.transaction().execute(async (trx) => {
    await repo.insertTeam(trx, team);
    await repo.insertMembers(trx, id, chosen, now);
  });
  return getTeam(db, coachId, id);
}

async function organisationMembers(db: Db, coachId: string, team: { id: string; questionnaireVersion: string }, organisation: string): Promise<string[]> {
  const found = await repo.listCandidates(db, coachId, team, { search: '', organisation: organisation.trim() }, { after: null, limit: MAX_TEAM_MEMBERS });
  if (found.length === 0) throw new InvalidError('No engagement of this organisation has a closed baseline on this questionnaire.', { organisation: `No engagement of “${organisation}” has a closed baseline on this questionnaire.` });
  if (found.length > MAX_TEAM_MEMBERS) throw new InvalidError('Too many engagements.', { organisation: `More than ${MAX_TEAM_MEMBERS} engagements of “${organisation}” have one; choose them one by one.` });
  return found.map((member) => member.engagementId);
}

/** Each engagement must be the coach's, with a closed baseline on the team's version, and the team must stay within its size. */
async function checkCandidates(db: Db, coachId: string, team: { id: string; questionnaireVersion: string }, engagementIds: string[], current: number): Promise<void> {
  if (engagementIds.length === 0) return;
  if (current + engagementIds.length > MAX_TEAM_MEMBERS) throw new InvalidError(`A team holds at most ${MAX_TEAM_MEMBERS} engagements.`, { engagementIds: `A team holds at most ${MAX_TEAM_MEMBERS} engagements.` });
  await recordQuestionnaireVersions(db, coachId);
  const eligible = new Set((await leaderSources(db, coachId, team.questionnaireVersion)).map((source) => source.engagementId));
  const wrong = engagementIds.filter((id) => !eligible.has(id));
  if (wrong.length) throw new NotFoundError('No such engagement with a closed baseline on this questionnaire among yours.');
}

export async function addMembers(db: Db, clock: Clock, coachId: string, teamId: string, engagementIds: string[]): Promise<Team> {
  const team = await getTeam(db, coachId, teamId);
  await checkCandidates(db, coachId, team, engagementIds, team.members);
  const now = clock.now().toISOString();
  await db.transaction().execute(async (trx) => {
    await repo.insertMembers(trx, team.id, engagementIds, now);
    await repo.updateTeam(trx, team.id, {}, now);
  });
  return getTeam(db, coachId, teamId);
}

export async function removeMembers(db: Db, clock: Clock, coachId: string, teamId: string, engagementIds: string[]): Promise<Team> {
  const team = await getTeam(db, coachId, teamId);
  await db.transaction().execute(async (trx) => {
    await repo.deleteMembers(trx, team.id, engagementIds);
    await repo.updateTeam(trx, team.id, {}, clock.now().toISOString());
  });
  return getTeam(db, coachId, teamId);
}

export async function renameTeam(db: Db, clock: Clock, coachId: string, teamId: string, name: string): Promise<Team> {
  const team = await getTeam(db, coachId, teamId);
  await repo.updateTeam(db, team.id, { name }, clock.now().toISOString());
  return getTeam(db, coachId, teamId);
}

export async function deleteTeam(db: Db, coachId: string, teamId: string): Promise<Team> {
  const team = await getTeam(db, coachId, teamId);
  await repo.deleteTeam(db, team.id);
  return team;
}

export async function membersPage(db: Db, coachId: string, teamId: string, page: PageRequest<MemberPosition>): Promise<Page<TeamMember>> {
  const team = await getTeam(db, coachId, teamId);
  return pageOf(await repo.listMembers(db, team.id, page), page.limit, (member) => [member.clientName, member.engagementId]);
}

/** A page of the coach's engagements that may join the team, searched by client name and organisation. */
export async function candidatesPage(db: Db, coachId: string, teamId: string, search: string, page: PageRequest<MemberPosition>): Promise<Page<TeamMember>> {
  const team = await getTeam(db, coachId, teamId);
  await recordQuestionnaireVersions(db, coachId);
  const rows = await repo.listCandidates(db, coachId, team, { search: search.trim(), organisation: null }, page);
  return pageOf(rows, page.limit, (member) => [member.clientName, member.engagementId]);
}

/** A leader of the team report: who, and whether their report (this version) was released to them. */
export interface TeamReportLeader {
  engagementId: string;
  clientName: string;
  organisation: string;
  roundId: string;
  version: number;
  released: boolean;
}

export interface TeamReportResult {
  team: Team;
  leaders: TeamReportLeader[];
  /** Members without a closed baseline on the team's questionnaire version (yet): not in the report. */
  notIncluded: TeamMember[];
  /** Null while no member has a published baseline on the version. */
  report: TeamReport | null;
  k: number;
  /** K of the questionnaire's scale (0 while there is no report). */
  scalePoints: number;
}

/** The team report from each member's published baseline on the team's questionnaire version, built one leader at a time. */
export async function teamReport(db: Db, coachId: string, teamId: string): Promise<TeamReportResult> {
  const team = await getTeam(db, coachId, teamId);
  const [sources, members] = await Promise.all([leaderSources(db, coachId, team.questionnaireVersion, team.id), repo.listAllMembers(db, team.id)]);
  const released = await releasedSources(db, sources);
  const leaders: TeamLeader[] = [];
  let scalePoints = 0;
  await forEachPublishedReport(db, sources, (source: LeaderSource, report) => {
    scalePoints = report.settings.scalePoints;
    leaders.push({ id: source.engagementId, name: source.clientName, released: released.has(source.engagementId), report });
  });
  const included = new Set(sources.map((source) => source.engagementId));
  return {
    team,
    leaders: sources.map((source) => ({ engagementId: source.engagementId, clientName: source.clientName, organisation: source.organisation, roundId: source.roundId, version: source.version, released: released.has(source.engagementId) })),
    notIncluded: members.filter((member) => !included.has(member.engagementId)),
    // Blind spots at the default τ, (K − 1) / 4, whatever each leader's round set (docs/report-definitions.md).
    report: leaders.length ? buildTeamReport(leaders, { k: LEADER_K, tau: (scalePoints - 1) / 4 }) : null,
    k: LEADER_K,
    scalePoints,
  };
}

/** The team report's figures, or a ConflictError while no member has a published baseline on the version (for exports and the API). */
export function publishedTeamReport(result: TeamReportResult): TeamReport {
  if (result.report) return result.report;
  throw new ConflictError('No member of this team has a closed baseline on its questionnaire with a published report yet.');
}
