/**
 * Practice norms: a frozen snapshot of the published "All others" figures of the leaders a coach
 * has assessed with one questionnaire version (reports/norms.ts), against which a report can show
 * each figure's percentile. A norm never changes once created; a newer one is a new version, and
 * the coach archives old ones.
 *
 * Leaders are protected as docs/anonymity.md protects raters: a norm exists only with at least the
 * minimum number of leaders, each leader enters once, and a new norm becomes visible only when,
 * beside the norms of the same coach and version still visible, no combination of them singles out
 * fewer than k leaders (`findLeaderLeak`); otherwise it is refused with what would make it possible.
 */
import { buildNormFromFigures, DEFAULT_K, findLeaderLeak, normFigures, placeInNorm } from '../../reports/index';
import type { LeaderAggregate, Norm, NormFigures, NormPlacement, ReportModel } from '../../reports/index';
import type { Clock } from '../clock';
import type { Db } from '../db/schema';
import { ConflictError, NotFoundError } from '../errors';
import { Phrase } from '../i18n/phrase';
import { pageOf, type Page, type PageRequest } from '../lists';
import { newId } from '../secrets';
import { formatDay } from '../views';
import { z } from 'zod';
import { forEachPublishedReport, getQuestionnaireVersion, leaderKey, leaderSources, onePerClient, yieldToOthers } from './leaders.service';
import * as repo from './norms.repository';
import type { NormPosition, NormStructure, NormSummary, StoredNorm } from './norms.repository';
import { questionnaireVersionOf } from './questionnaire-version';
import { shownTeamReports } from './shown-leader-figures';

export type { NormStructure, NormSummary, StoredNorm };

/**
 * How many leaders no combination of visible norms may single out fewer than: the same k that
 * protects raters by default (docs/anonymity.md, rule 2), applied to leaders.
 */
export const LEADER_K = DEFAULT_K;

/** The position a cursor of the norm list stands for. */
export const NORM_POSITION = z.tuple([z.string().max(40), z.string().max(64)]);

/** Why a norm cannot be created (or shown again) now, for the page and the API's `details`. */
export type NormRefusal =
  | { reason: 'too-few-leaders'; leaders: number; minimumLeaders: number; moreLeadersNeeded: number }
  | { reason: 'no-subjects'; leaders: number; minimumLeaders: number }
  | { reason: 'same-leaders'; norm: { id: string; name: string } }
  | { reason: 'would-single-out'; subject: string; leadersSingledOut: number; k: number; moreLeadersNeeded: number | null; archiveFirst: Array<{ id: string; name: string }> }
  | { reason: 'beside-team-reports'; subject: string; leadersSingledOut: number; k: number };

export class NormRefusedError extends ConflictError {
  constructor(message: Phrase, readonly refusal: NormRefusal) {
    super(message, refusal);
  }
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** Names a new norm from the day it is made and how many leaders it holds; the name is frozen with the norm. */
export type NormNamer = (createdAt: Date, leaders: number) => string;

/** "Practice norm, Dec 2026, 24 leaders": the name of a norm made through the API or the demo. */
function normName(now: Date, leaders: number): string {
  return `Practice norm, ${formatDay(now).split(' ').slice(1).join(' ')}, ${plural(leaders, 'leader')}`;
}

function structureOf(report: ReportModel): NormStructure {
  return {
    scalePoints: report.settings.scalePoints,
    competencies: report.competencies.map((competency) => ({ id: competency.id, name: competency.name, items: competency.items.map((item) => ({ id: item.id, text: item.text })) })),
  };
}

/** Every leader behind a norm, over all its subjects. */
function leadersOf(norm: Norm): Set<string> {
  return new Set(Object.values(norm.subjects).flatMap((subject) => subject.leaderIds));
}

/** A subject of the norm as a refusal names it: a competency or an item, by its text. */
function subjectOf(structure: NormStructure, id: string): { kind: 'competency' | 'item'; label: string } {
  for (const competency of structure.competencies) {
    if (competency.id === id) return { kind: 'competency', label: competency.name };
    const item = competency.items.find((candidate) => candidate.id === id);
    if (item) return { kind: 'item', label: item.text };
  }
  return { kind: 'item', label: id };
}

/** A norm or team report as it stands on one subject (findLeaderLeak decides each subject on its own). */
function onSubject(aggregate: LeaderAggregate, subject: string): LeaderAggregate {
  const entry = aggregate.subjects[subject];
  return { subjects: entry ? { [subject]: entry } : {} };
}

/** The team reports already shown on the version, and the leaders they showed by name (server/norms/shown-leader-figures.ts). */
type ShownTeams = { reports: LeaderAggregate[]; known: ReadonlySet<string> };

/**
 * Whether `candidate` may become visible beside the `visible` norms of the same coach and version
 * and the team reports shown on it; throws NormRefusedError saying why not and what would allow
 * it. Subject by subject, with `pause` between them, so a norm of many leaders does not hold the
 * event loop for long.
 */
export async function checkNormGate(
  visible: readonly StoredNorm[],
  candidate: Norm,
  structure: NormStructure,
  k: number,
  teams: ShownTeams,
  pause: () => Promise<void> = async () => {},
): Promise<void> {
  const leaders = leadersOf(candidate);
  const same = visible.find((norm) => {
    const theirs = leadersOf(norm.norm);
    return theirs.size === leaders.size && [...theirs].every((leader) => leaders.has(leader));
  });
  if (same) throw new NormRefusedError(new Phrase('norms.refusal.sameLeaders', { name: same.name }), { reason: 'same-leaders', norm: { id: same.id, name: same.name } });
  const subjects = [...new Set([candidate, ...visible.map((norm) => norm.norm)].flatMap((norm) => Object.keys(norm.subjects)))];
  for (const subject of subjects) {
    const leak = findLeaderLeak(visible.map((norm) => onSubject(norm.norm, subject)), onSubject(candidate, subject), k);
    if (leak) throw refusal(visible, candidate, structure, k, leak);
    const besideTeams = teams.reports.length === 0 ? null : findLeaderLeak([...visible.map((norm) => onSubject(norm.norm, subject)), ...teams.reports.map((report) => onSubject(report, subject))], onSubject(candidate, subject), k, teams.known);
    if (besideTeams) {
      throw new NormRefusedError(
        new Phrase('norms.refusal.besideTeams', { count: besideTeams.leaders.length, ...subjectOf(structure, subject) }),
        { reason: 'beside-team-reports', subject, leadersSingledOut: besideTeams.leaders.length, k },
      );
    }
    await pause();
  }
}

/** Why a candidate that leaks on a subject is refused, and what would allow it. */
function refusal(visible: readonly StoredNorm[], candidate: Norm, structure: NormStructure, k: number, leak: { subject: string; leaders: string[] }): NormRefusedError {
  const leaders = leadersOf(candidate);
  // The norms that would leak beside the candidate on their own; when none does, it is all of them together.
  const alone = visible.filter((norm) => findLeaderLeak([onSubject(norm.norm, leak.subject)], onSubject(candidate, leak.subject), k) !== null);
  const blocking = alone.length ? alone : [...visible];
  const first = blocking[0]!;
  const theirs = leadersOf(first.norm);
  const added = [...leaders].filter((leader) => !theirs.has(leader)).length;
  const removed = [...theirs].filter((leader) => !leaders.has(leader)).length;
  const moreLeadersNeeded = removed === 0 && added < k ? k - added : null;
  const names = blocking.map((norm) => `«${norm.name}»`).join(', ');
  const remedy = moreLeadersNeeded ? 'wait' : blocking.length === 1 ? 'one' : 'several';
  const message = new Phrase('norms.refusal.singleOut', {
    names,
    count: leak.leaders.length,
    ...subjectOf(structure, leak.subject),
    k,
    remedy,
    added,
    more: moreLeadersNeeded ?? 0,
    first: first.name,
  });
  return new NormRefusedError(message, {
    reason: 'would-single-out',
    subject: leak.subject,
    leadersSingledOut: leak.leaders.length,
    k,
    moreLeadersNeeded,
    archiveFirst: blocking.map((norm) => ({ id: norm.id, name: norm.name })),
  });
}

/**
 * Creates the next norm of the coach on the questionnaire version from every leader's latest closed
 * baseline on it (one per client), if the minimum is reached and the gate lets it be seen.
 */
export async function createNorm(db: Db, clock: Clock, coachId: string, version: string, settings: { minimumLeaders: number; name?: NormNamer }): Promise<StoredNorm> {
  const questionnaire = await getQuestionnaireVersion(db, coachId, version);
  const sources = onePerClient(await leaderSources(db, coachId, version));
  const { minimumLeaders } = settings;
  if (sources.length < minimumLeaders) {
    const more = minimumLeaders - sources.length;
    throw new NormRefusedError(
      new Phrase('norms.refusal.tooFew', { minimum: minimumLeaders, leaders: sources.length, more }),
      { reason: 'too-few-leaders', leaders: sources.length, minimumLeaders, moreLeadersNeeded: more },
    );
  }
  const figures: NormFigures[] = [];
  let structure: NormStructure | null = null;
  await forEachPublishedReport(db, sources, (source, report) => {
    figures.push(normFigures({ id: leaderKey(source), report }));
    structure ??= structureOf(report);
  });
  const candidate = buildNormFromFigures(figures, minimumLeaders);
  if (!candidate || !structure || Object.keys(candidate.subjects).length === 0) {
    throw new NormRefusedError(new Phrase('norms.refusal.noSubjects', { minimum: minimumLeaders }), { reason: 'no-subjects', leaders: figures.length, minimumLeaders });
  }
  const shape: NormStructure = structure;
  const now = clock.now();
  // The check, on its own turn of the event loop; the transaction that writes repeats it only if the visible norms changed meanwhile.
  await yieldToOthers();
  const checked = await repo.listVisibleNormsOfVersion(db, coachId, version);
  const teams = await shownTeamReports(db, coachId, version);
  await checkNormGate(checked, candidate, shape, LEADER_K, teams, yieldToOthers);
  return db.transaction().execute(async (trx) => {
    await repo.lockCoachNorms(trx, coachId);
    const visibleNow = await repo.listVisibleNormIds(trx, coachId, version);
    const teamsNow = await shownTeamReports(trx, coachId, version);
    if (visibleNow.sort().join() !== checked.map((norm) => norm.id).sort().join() || teamsNow.reports.length !== teams.reports.length) {
      await checkNormGate(await repo.listVisibleNormsOfVersion(trx, coachId, version), candidate, shape, LEADER_K, teamsNow);
    }
    const norm: StoredNorm = {
      id: newId(),
      coachId,
      questionnaireVersion: version,
      questionnaireName: questionnaire.questionnaireName,
      sequence: (await repo.latestSequence(trx, coachId, version)) + 1,
      name: (settings.name ?? normName)(now, candidate.leaders),
      leaders: candidate.leaders,
      minimumLeaders,
      k: LEADER_K,
      createdAt: now.toISOString(),
      archivedAt: null,
      structure: shape,
      norm: candidate,
    };
    await repo.insertNorm(trx, norm);
    return norm;
  });
}

export async function getNorm(db: Db, coachId: string, id: string): Promise<StoredNorm> {
  const norm = await repo.findOwnNorm(db, coachId, id);
  if (!norm) throw new NotFoundError();
  return norm;
}

/** A page of the coach's norms, newest first: the visible ones, or the archived ones. */
export async function listNorms(db: Db, coachId: string, filter: { archived: boolean; version?: string | null }, page: PageRequest<NormPosition>): Promise<Page<NormSummary>> {
  const rows = await repo.listOwnNorms(db, coachId, { archived: filter.archived, version: filter.version ?? null }, page);
  return pageOf(rows, page.limit, (norm) => [norm.createdAt, norm.id]);
}

/** Archives a norm: no longer offered on reports, and no longer in the way of a new one. */
export async function archiveNorm(db: Db, clock: Clock, coachId: string, id: string): Promise<StoredNorm> {
  const norm = await getNorm(db, coachId, id);
  if (!norm.archivedAt) await repo.setNormArchived(db, norm.id, clock.now().toISOString());
  return getNorm(db, coachId, id);
}

/** Shows an archived norm again, when the gate allows it beside the norms visible now. */
export async function restoreNorm(db: Db, coachId: string, id: string): Promise<StoredNorm> {
  const norm = await getNorm(db, coachId, id);
  if (!norm.archivedAt) return norm;
  await db.transaction().execute(async (trx) => {
    await repo.lockCoachNorms(trx, coachId);
    await checkNormGate(await repo.listVisibleNormsOfVersion(trx, coachId, norm.questionnaireVersion), norm.norm, norm.structure, norm.k, await shownTeamReports(trx, coachId, norm.questionnaireVersion));
    await repo.setNormArchived(trx, norm.id, null);
  });
  return getNorm(db, coachId, id);
}

/** The norms a round's report may be compared with: the coach's visible norms on the round's questionnaire version (the newest 50). */
export async function normChoices(db: Db, coachId: string, snapshot: Parameters<typeof questionnaireVersionOf>[0] | null): Promise<NormSummary[]> {
  if (!snapshot) return [];
  return (await listNorms(db, coachId, { archived: false, version: questionnaireVersionOf(snapshot) }, { after: null, limit: 50 })).items;
}

/** A report's figures placed in a norm. */
export interface NormComparison {
  norm: NormSummary;
  /** By competency and item id: where the leader's All others figure falls. */
  placements: Record<string, NormPlacement>;
  /** The leader (this engagement) is one of the norm's leaders. */
  includesLeader: boolean;
}

/**
 * Places a report's "All others" figures in one of the coach's visible norms on the same
 * questionnaire version: 404 for a norm that is not the coach's, 409 for an archived one or one of
 * another version.
 */
export async function compareWithNorm(db: Db, coachId: string, normId: string, subject: { engagementId: string; snapshot: Parameters<typeof questionnaireVersionOf>[0] | null; model: ReportModel }): Promise<NormComparison> {
  const stored = await getNorm(db, coachId, normId);
  if (stored.archivedAt) throw new ConflictError(new Phrase('error.norm.archived', { name: stored.name }));
  if (!subject.snapshot || questionnaireVersionOf(subject.snapshot) !== stored.questionnaireVersion) {
    throw new ConflictError(new Phrase('error.norm.otherVersion', { name: stored.name }));
  }
  const placements: Record<string, NormPlacement> = {};
  const place = (id: string, figure: { withheld: boolean; mean?: number | null }) => {
    const placement = figure.withheld ? null : placeInNorm(stored.norm, id, figure.mean ?? null);
    if (placement) placements[id] = placement;
  };
  for (const competency of subject.model.competencies) {
    place(competency.id, competency.allOthers);
    for (const item of competency.items) place(item.id, item.allOthers);
  }
  const prefix = `${subject.engagementId}:`;
  const includesLeader = Object.values(stored.norm.subjects).some((entry) => entry.leaderIds.some((id) => id.startsWith(prefix)));
  const { structure: _structure, norm: _norm, ...summary } = stored;
  return { norm: summary, placements, includesLeader };
}

/** What a report page, export or API answer needs about norms: the norms to choose from and, when one is chosen, the placements. */
export interface ReportNorms {
  choices: NormSummary[];
  comparison: NormComparison | null;
}

/**
 * The norms a round's published report may be compared with and, when `normId` names one, the
 * comparison (see compareWithNorm for its refusals). No comparison is offered without a published report.
 */
export async function reportNorms(db: Db, coachId: string, subject: { engagementId: string; snapshot: Parameters<typeof questionnaireVersionOf>[0] | null; model: ReportModel | null }, normId: string | undefined): Promise<ReportNorms> {
  const { model } = subject;
  if (!model) return { choices: [], comparison: null };
  const [choices, comparison] = await Promise.all([normChoices(db, coachId, subject.snapshot), normId ? compareWithNorm(db, coachId, normId, { ...subject, model }) : null]);
  return { choices, comparison };
}
