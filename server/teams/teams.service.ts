/**
 * Team reports: several of a coach's engagements on one questionnaire version (one organisation's
 * leadership team, or any set), seen as a team (reports/team-report.ts). Only published figures
 * feed it (docs/anonymity.md, rule 3): each leader's latest closed baseline on the version, as
 * published. Each leader weighs the same; a leader's own figures appear only when that version of
 * their report was released to them, and the engine withholds a team figure that, less the released
 * leaders' rows, would rest on fewer than k unreleased leaders.
 *
 * Someone shown the team report keeps it, and the next one after a member joins or leaves: the two
 * differ by that member. So every distinct team report shown is recorded (which leaders stand behind
 * each figure), and a new one is shown only when, beside all of them and the visible norms, no
 * combination singles out fewer than k leaders whose reports were not released (`findLeaderLeak`).
 * A membership change that would fail that check is refused before it is made.
 */
import { createHash } from 'node:crypto';
import { buildTeamReport, findLeaderLeak, teamFootprint } from '../../reports/index';
import type { LeaderAggregate, TeamLeader, TeamReport } from '../../reports/index';
import type { Clock } from '../clock';
import type { Db } from '../db/schema';
import type { Language } from '../i18n/languages';
import { ConflictError, InvalidError, NotFoundError } from '../errors';
import { pageOf, type Page, type PageRequest } from '../lists';
import { forEachPublishedReport, getQuestionnaireVersion, leaderKey, leaderOfKey, leaderSources, recordQuestionnaireVersions, releasedSources, type LeaderSource } from '../norms/leaders.service';
import { lockCoachNorms, listVisibleNormsOfVersion } from '../norms/norms.repository';
import { LEADER_K } from '../norms/norms.service';
import { footprintOfAggregate, leadersShownByName, shownTeamReports } from '../norms/shown-leader-figures';
import { Phrase, type PhraseValues } from '../i18n/phrase';
import { reportInLanguage } from '../reports/report-language';
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
  language?: Language,
): Promise<Team> {
  const version = await getQuestionnaireVersion(db, coachId, fields.questionnaireVersion);
  const now = clock.now().toISOString();
  const id = newId();
  const team = { id, coachId, name: fields.name, questionnaireVersion: version.version, questionnaireName: version.questionnaireName, createdAt: now, updatedAt: now };
  const fromOrganisation = fields.organisation ? await organisationMembers(db, coachId, team, fields.organisation) : [];
  const chosen = [...new Set([...(fields.engagementIds ?? []), ...fromOrganisation])];
  await checkCandidates(db, coachId, team, chosen, 0);
  await checkMembership(db, coachId, team.questionnaireVersion, new Set(chosen), 'create', language);
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

/**
 * Adds and removes engagements in one change, checked as a whole (a swap of three leaders may pass
 * where each step alone would not). A refusal names competencies and items in `language` when given.
 */
export async function changeMembers(db: Db, clock: Clock, coachId: string, teamId: string, change: { adding: string[]; removing: string[] }, language?: Language): Promise<Team> {
  const team = await getTeam(db, coachId, teamId);
  await checkCandidates(db, coachId, team, change.adding, Math.max(0, team.members - change.removing.length));
  await checkMembershipChange(db, coachId, team, change, language);
  const now = clock.now().toISOString();
  await db.transaction().execute(async (trx) => {
    if (change.removing.length) await repo.deleteMembers(trx, team.id, change.removing);
    if (change.adding.length) await repo.insertMembers(trx, team.id, change.adding, now);
    await repo.updateTeam(trx, team.id, {}, now);
  });
  return getTeam(db, coachId, teamId);
}

export function addMembers(db: Db, clock: Clock, coachId: string, teamId: string, engagementIds: string[], language?: Language): Promise<Team> {
  return changeMembers(db, clock, coachId, teamId, { adding: engagementIds, removing: [] }, language);
}

export function removeMembers(db: Db, clock: Clock, coachId: string, teamId: string, engagementIds: string[], language?: Language): Promise<Team> {
  return changeMembers(db, clock, coachId, teamId, { adding: [], removing: engagementIds }, language);
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
  /** Null while no member has a published baseline on the version, or while `refused`. */
  report: TeamReport | null;
  /** Why this team report cannot be shown beside those shown before (and what would allow it); null when it can. */
  refused: TeamRefusal | null;
  k: number;
  /** K of the questionnaire's scale (0 while there is no report). */
  scalePoints: number;
}

/**
 * The leaders of a team report: each source's published report, with whether that version was
 * released to them; with a `language`, the questionnaire's texts in it where the frozen
 * questionnaire has them (the team pages, in the coach's language; exports keep the source's).
 */
async function teamLeaders(db: Db, sources: readonly LeaderSource[], language?: Language): Promise<{ leaders: TeamLeader[]; released: Set<string>; scalePoints: number }> {
  const released = await releasedSources(db, sources);
  const leaders: TeamLeader[] = [];
  let scalePoints = 0;
  await forEachPublishedReport(db, sources, (source: LeaderSource, published, questionnaire) => {
    scalePoints = published.settings.scalePoints;
    const report = language ? reportInLanguage(published, questionnaire, language) : published;
    leaders.push({ id: source.engagementId, name: source.clientName, released: released.has(source.engagementId), report });
  });
  return { leaders, released, scalePoints };
}

/** Which leaders (engagement:round:version) stand behind each figure the team report shows. */
function footprintOf(leaders: readonly TeamLeader[], sources: readonly LeaderSource[]): LeaderAggregate {
  const keys = new Map(sources.map((source) => [source.engagementId, leaderKey(source)]));
  const footprint = teamFootprint(leaders, LEADER_K);
  return { subjects: Object.fromEntries(Object.entries(footprint).map(([subject, ids]) => [subject, { leaderIds: ids.map((id) => keys.get(id)!) }])) };
}

/** The first leak this team report would open beside everything shown on the version before, or null. */
async function leakBesideShown(db: Db, coachId: string, version: string, candidate: LeaderAggregate): Promise<{ subject: string; leaders: string[] } | null> {
  const [shown, norms] = await Promise.all([shownTeamReports(db, coachId, version), listVisibleNormsOfVersion(db, coachId, version)]);
  const known = new Set([...shown.known, ...(await leadersShownByName(db, [candidate]))]);
  return findLeaderLeak([...shown.reports, ...norms.map((norm) => norm.norm)], candidate, LEADER_K, known);
}

function signatureOf(aggregate: LeaderAggregate): string {
  return createHash('sha256').update(JSON.stringify(footprintOfAggregate(aggregate))).digest('hex');
}

/** What a refused team report or team change would have done, by which check it failed. */
export type TeamChange = 'addOne' | 'addMany' | 'removeOne' | 'removeMany' | 'swap' | 'create' | 'report';

/** Who a team report (or a change of members) would single out, and on what: pages phrase it in the coach's language. */
export interface TeamRefusal {
  change: TeamChange;
  /** The leaders' names, sorted; null for one no longer in the team. */
  who: Array<string | null>;
  ratings: 'self' | 'others';
  /** The competency or item; null if the questionnaire no longer names it. */
  subject: { kind: 'competency' | 'item'; label: string } | null;
  k: number;
}

export class TeamRefusedError extends ConflictError {
  constructor(readonly refusal: TeamRefusal, subjectId: string) {
    super(englishRefusal(refusal), { reason: 'would-single-out', subject: subjectId, leadersSingledOut: refusal.who.length, k: refusal.k });
  }
}

function refusalOf(leak: { subject: string; leaders: string[] }, names: ReadonlyMap<string, string>, leaders: readonly TeamLeader[], change: TeamChange): TeamRefusal {
  const selfRating = leak.subject.startsWith('self:');
  const id = selfRating ? leak.subject.slice('self:'.length) : leak.subject;
  const structure = leaders[0]?.report.competencies ?? [];
  const competency = structure.find((candidate) => candidate.id === id);
  const item = structure.flatMap((candidate) => candidate.items).find((candidate) => candidate.id === id);
  const named = [...new Set(leak.leaders.map((key) => names.get(leaderOfKey(key).engagementId) ?? null))];
  return {
    change,
    who: [...named.filter((name): name is string => name !== null).sort(), ...named.filter((name) => name === null)],
    ratings: selfRating ? 'self' : 'others',
    subject: competency ? { kind: 'competency', label: competency.name } : item ? { kind: 'item', label: item.text.replace(/[.!?]+$/, '') } : null,
    k: LEADER_K,
  };
}

/**
 * A refusal in words: `word` writes a catalogue message in some language (a page's translator, or
 * English through Phrase for the API and logs), so both read the same catalogue.
 */
export function refusalWords(refusal: TeamRefusal, word: (key: string, values?: PhraseValues) => string): string {
  const who = refusal.who.map((name) => name ?? word('teams.refusal.unknownLeader')).join(', ');
  const subject = refusal.subject ?? { kind: 'item', label: word('teams.refusal.oneItem') };
  const singledOut = word('teams.refusal.singledOut', { change: refusal.change, ratings: refusal.ratings, kind: subject.kind, label: subject.label, who });
  return `${singledOut} ${word('teams.refusal.why', { k: refusal.k })}`;
}

function englishRefusal(refusal: TeamRefusal): string {
  return refusalWords(refusal, (key, values) => String(new Phrase(key, values)));
}

/**
 * Refuses a team membership (a new team, or a change to one) whose report would single leaders out
 * beside what was shown before: the page shows why, the API answers 409.
 */
async function checkMembership(db: Db, coachId: string, version: string, members: ReadonlySet<string>, change: TeamChange, language?: Language): Promise<void> {
  const everyone = await leaderSources(db, coachId, version);
  const sources = everyone.filter((source) => members.has(source.engagementId));
  const { leaders } = await teamLeaders(db, sources, language);
  const leak = await leakBesideShown(db, coachId, version, footprintOf(leaders, sources));
  if (!leak) return;
  const names = new Map(everyone.map((source) => [source.engagementId, source.clientName]));
  throw new TeamRefusedError(refusalOf(leak, names, leaders, change), leak.subject);
}

async function checkMembershipChange(db: Db, coachId: string, team: Team, change: { adding: string[]; removing: string[] }, language?: Language): Promise<void> {
  const members = new Set((await repo.listAllMembers(db, team.id)).map((member) => member.engagementId));
  for (const id of change.adding) members.add(id);
  for (const id of change.removing) members.delete(id);
  const kind: TeamChange =
    change.adding.length && change.removing.length ? 'swap' : change.adding.length ? (change.adding.length === 1 ? 'addOne' : 'addMany') : change.removing.length === 1 ? 'removeOne' : 'removeMany';
  await checkMembership(db, coachId, team.questionnaireVersion, members, kind, language);
}

/**
 * Records the team report as shown unless doing so would single leaders out beside everything shown
 * before; returns why not, or null. Under the coach's lock, so two reports shown at once are checked
 * against each other.
 */
async function admitShownReport(db: Db, clock: Clock, coachId: string, team: Team, candidate: LeaderAggregate, refusal: (leak: { subject: string; leaders: string[] }) => TeamRefusal): Promise<TeamRefusal | null> {
  const signature = signatureOf(candidate);
  if (await repo.hasShownTeamReport(db, coachId, team.questionnaireVersion, signature)) return null;
  return db.transaction().execute(async (trx) => {
    await lockCoachNorms(trx, coachId);
    const leak = await leakBesideShown(trx, coachId, team.questionnaireVersion, candidate);
    if (leak) return refusal(leak);
    await repo.insertShownTeamReport(trx, { id: newId(), coachId, questionnaireVersion: team.questionnaireVersion, teamId: team.id, signature, footprint: footprintOfAggregate(candidate), shownAt: clock.now().toISOString() });
    return null;
  });
}

/**
 * The team report from each member's published baseline on the team's questionnaire version, built
 * one leader at a time (its questionnaire texts in `language` when given); recorded as shown, or refused when it would single leaders out beside the
 * team reports shown before (a member's newer version or a change made elsewhere can do that).
 */
export async function teamReport(db: Db, clock: Clock, coachId: string, teamId: string, language?: Language): Promise<TeamReportResult> {
  const team = await getTeam(db, coachId, teamId);
  const [sources, members] = await Promise.all([leaderSources(db, coachId, team.questionnaireVersion, team.id), repo.listAllMembers(db, team.id)]);
  const { leaders, released, scalePoints } = await teamLeaders(db, sources, language);
  const included = new Set(sources.map((source) => source.engagementId));
  const names = new Map(sources.map((source) => [source.engagementId, source.clientName]));
  const refused = leaders.length
    ? await admitShownReport(db, clock, coachId, team, footprintOf(leaders, sources), (leak) => refusalOf(leak, names, leaders, 'report'))
    : null;
  return {
    team,
    leaders: sources.map((source) => ({ engagementId: source.engagementId, clientName: source.clientName, organisation: source.organisation, roundId: source.roundId, version: source.version, released: released.has(source.engagementId) })),
    notIncluded: members.filter((member) => !included.has(member.engagementId)),
    // Blind spots at the default τ, (K − 1) / 4, whatever each leader's round set (docs/report-definitions.md).
    report: leaders.length && !refused ? buildTeamReport(leaders, { k: LEADER_K, tau: (scalePoints - 1) / 4 }) : null,
    refused,
    k: LEADER_K,
    scalePoints,
  };
}

/** The team report's figures, or a ConflictError while there are none to give (for exports and the API). */
export function publishedTeamReport(result: TeamReportResult): TeamReport {
  if (result.report) return result.report;
  if (result.refused) throw new ConflictError(englishRefusal(result.refused), { reason: 'would-single-out', leadersSingledOut: result.refused.who.length, k: result.refused.k });
  throw new ConflictError('No member of this team has a closed baseline on its questionnaire with a published report yet.');
}
