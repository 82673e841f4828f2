/**
 * Versions of a round's figures (docs/anonymity.md, rule 3). Whoever can see a report keeps every version they
 * were ever shown, so the rule must hold across versions, not only inside one: between two
 * versions, every figure may change only by a set of responses that could be shown on its own.
 *
 * How the server uses this: no figures while a round is open for the first time (response counts
 * only); closing publishes version 1; answers that arrive after a reopen are held back and counted,
 * and join a new version only when `proposeVersion` finds that the new version, together with
 * every earlier one, still hides every anonymous rater among at least k.
 *
 * The check is exact linear algebra on counts. For one subject (an item, a pulse focus area, or
 * the comments), the raters behind its published figures fall into cells: one cell per rater group
 * and per version in which they arrived. Every published figure pools whole cells (a group's
 * raters up to some version, or All others up to some version), so any combination of published
 * numbers gives the same weight to every rater of a cell. A combination that isolates fewer than k
 * anonymous raters therefore exists exactly when some set of cells holding together fewer than k
 * anonymous raters supports a non-zero vector of the row space of the "figure × cell" matrix, which
 * is a rank test. Raters of a group that is not anonymous (the manager) are treated as known: their
 * columns are removed before the test. Competency figures and change statistics are computed from
 * item figures (competency-figures.ts, change-report.ts), so they add no row of their own.
 * Comments are checked by where they would show instead (see `commentsLeak`): a text can be
 * followed from one version to the next, which no sum can.
 */
import { buildReport } from './build-report';
import { smallSupport } from './exact-rank';
import { buildPulseReport, PULSE_MAX, PULSE_MIN } from './pulse-report';
import { ratingOf } from './scores';
import type {
  FigureBase,
  FigureSlots,
  RaterGroup,
  HeldBack,
  PulseInput,
  PulseReport,
  Readiness,
  ReportInput,
  ReportModel,
  VersionedInput,
  VersionLeak,
  VersionProposal,
} from './types';
import { resolveK } from './validation';

/** The published figures of one subject in one version, as sets of rater groups. */
export interface SubjectFootprint {
  /** Raters behind the subject per non-self group, counting everything up to this version. */
  counts: Record<string, number>;
  /** Each published figure of the subject, as the non-self group keys whose raters it pools. */
  sets: string[][];
}

/** What one version publishes, per subject id. */
export type Footprint = Record<string, SubjectFootprint>;

/** The key under which a footprint records the comment blocks (one subject for all questions). */
export const COMMENTS_SUBJECT = '#comments';

/**
 * The responses of a version: those that joined it or an earlier one.
 *
 * @example
 * responsesOfVersion([{ version: 1 }, { version: null }, { version: 2 }], 1); // [{ version: 1 }]
 */
export function responsesOfVersion<R extends { version: number | null }>(responses: readonly R[], version: number): R[] {
  return responses.filter((response) => response.version !== null && response.version <= version);
}

/**
 * The round report of a published version.
 *
 * @example
 * reportOfVersion(input, 2); // buildReport over the responses of versions 1 and 2
 */
export function reportOfVersion(input: VersionedInput<ReportInput>, version: number): ReportModel {
  return buildReport({ ...input, responses: responsesOfVersion(input.responses, version) });
}

/**
 * The pulse report of a published version.
 *
 * @example
 * pulseOfVersion(input, 1); // buildPulseReport over the responses of version 1
 */
export function pulseOfVersion(input: VersionedInput<PulseInput>, version: number): PulseReport {
  return buildPulseReport({ ...input, responses: responsesOfVersion(input.responses, version) });
}

/**
 * Whether the responses not yet in a version (`version: null`) may now form version `latest + 1`
 * of a round report, and if not, what holds them back.
 *
 * @example
 * // version 1 holds 3 peers; one late peer answered after a reopen
 * proposeRoundVersion(input, 1);
 * // { publish: false, version: 2, held: { total: 1, byGroup: { peers: 1 }, ... }, leak: { subject: 'i1', groups: ['peers'], raters: 1 } }
 */
export function proposeRoundVersion(input: VersionedInput<ReportInput>, latest: number): VersionProposal {
  return proposeVersion(input, latest, (responses) => {
    const subInput = { ...input, responses };
    const model = buildReport(subInput);
    return { readiness: model.readiness, footprint: reportFootprint(subInput, model) };
  });
}

/**
 * Like `proposeRoundVersion`, for a pulse check-in.
 *
 * @example
 * proposePulseVersion(pulseInput, 0); // { publish: true, version: 1, ... } once the closed pulse has k raters
 */
export function proposePulseVersion(input: VersionedInput<PulseInput>, latest: number): VersionProposal {
  return proposeVersion(input, latest, (responses) => {
    const subInput = { ...input, responses };
    const report = buildPulseReport(subInput);
    return { readiness: report.readiness, footprint: pulseFootprint(subInput, report) };
  });
}

type Published = (responses: VersionedInput<ReportInput>['responses']) => { readiness: Readiness; footprint: Footprint };

function proposeVersion(input: VersionedInput<ReportInput | PulseInput>, latest: number, publish: Published): VersionProposal {
  const held = heldBack(input.groups, input.responses);
  const version = latest + 1;
  const candidate = publish(input.responses);
  if (held.total === 0 || !candidate.readiness.ready) return { publish: false, version, held, leak: null, readiness: candidate.readiness };
  const earlier = Array.from({ length: latest }, (_, index) => publish(responsesOfVersion(input.responses, index + 1)).footprint);
  const leak = findVersionLeak(input.groups, resolveK(input.k), [...earlier, candidate.footprint]);
  return { publish: leak === null, version, held, leak, readiness: candidate.readiness };
}

/**
 * Counts the responses in no version yet, per group.
 *
 * @example
 * heldBack(groups, [{ groupKey: 'peers', version: null }, { groupKey: 'self', version: null }]);
 * // { total: 2, anonymous: 1, byGroup: { peers: 1, self: 1 } }
 */
export function heldBack(groups: readonly RaterGroup[], responses: ReadonlyArray<{ groupKey: string; version: number | null }>): HeldBack {
  const byGroup: Record<string, number> = {};
  let anonymous = 0;
  for (const response of responses) {
    if (response.version !== null) continue;
    byGroup[response.groupKey] = (byGroup[response.groupKey] ?? 0) + 1;
    const group = groups.find((candidate) => candidate.key === response.groupKey);
    if (group && group.anonymous && !group.self) anonymous += 1;
  }
  return { total: Object.values(byGroup).reduce((sum, count) => sum + count, 0), anonymous, byGroup };
}

/**
 * The footprint of a round report: per item, the answered raters per group and the figures shown;
 * the comment blocks as one more subject, counted in responders (a block shows whoever wrote in it,
 * so its raters are everyone who responded in the groups it pools).
 *
 * @example
 * reportFootprint(input, buildReport(input)).i1; // { counts: { manager: 1, peers: 4 }, sets: [['manager', 'peers'], ['manager'], ['peers']] }
 */
export function reportFootprint(input: ReportInput, model: ReportModel): Footprint {
  const points = model.settings.scalePoints;
  const footprint: Footprint = {};
  for (const item of model.competencies.flatMap((competency) => competency.items)) {
    footprint[item.id] = subjectFootprint(input.groups, item, (response) => ratingOf(response.ratings, item.id, 1, points) !== null, input.responses);
  }
  footprint[COMMENTS_SUBJECT] = commentsFootprint(input.groups, model, input.responses);
  return footprint;
}

/**
 * The footprint of a pulse report: per focus area, as for items; the comments as in a round.
 *
 * @example
 * pulseFootprint(input, buildPulseReport(input)).delegation.sets; // [['manager', 'peers'], ['manager']]
 */
export function pulseFootprint(input: PulseInput, report: PulseReport): Footprint {
  const footprint: Footprint = {};
  for (const area of report.focusAreas) {
    footprint[area.id] = subjectFootprint(input.groups, area, (response) => ratingOf(response.ratings, area.id, PULSE_MIN, PULSE_MAX) !== null, input.responses);
  }
  footprint[COMMENTS_SUBJECT] = commentsFootprint(input.groups, report, input.responses);
  return footprint;
}

type Countable = { groupKey: string; ratings: Readonly<Record<string, unknown>> };

function nonSelfKeys(groups: readonly RaterGroup[]): string[] {
  return groups.filter((group) => !group.self).map((group) => group.key);
}

function countPerGroup(groups: readonly RaterGroup[], responses: readonly Countable[], counts: (response: Countable) => boolean): Record<string, number> {
  return Object.fromEntries(nonSelfKeys(groups).map((key) => [key, responses.filter((response) => response.groupKey === key && counts(response)).length]));
}

function subjectFootprint(groups: readonly RaterGroup[], slots: FigureSlots<FigureBase>, answered: (response: Countable) => boolean, responses: readonly Countable[]): SubjectFootprint {
  const sets = [
    ...(slots.allOthers.withheld ? [] : [nonSelfKeys(groups)]),
    ...slots.groups.filter((slot) => !slot.figure.withheld).map((slot) => [slot.groupKey]),
  ];
  return { counts: countPerGroup(groups, responses, answered), sets };
}

function commentsFootprint(groups: readonly RaterGroup[], model: { shownGroupKeys: string[]; comments: ReportModel['comments'] }, responses: readonly Countable[]): SubjectFootprint {
  const pooled = nonSelfKeys(groups).filter((key) => !model.shownGroupKeys.includes(key));
  const pooledWithheld = model.comments.some((section) => section.blocks.some((block) => block.withheld));
  const sets =
    model.comments.length === 0 ? [] : [...model.shownGroupKeys.map((key) => [key]), ...(pooledWithheld || pooled.length === 0 ? [] : [pooled])];
  return { counts: countPerGroup(groups, responses, () => true), sets };
}

/**
 * The first subject on which the versions, taken together, let some combination of published
 * numbers rest on 1..k-1 anonymous raters; null when there is none. `footprints` are the versions
 * in order, the last one being the candidate.
 *
 * @example
 * // k = 3: version 1 shows 3 peers, version 2 would show 4
 * findVersionLeak(groups, 3, [{ i1: { counts: { peers: 3 }, sets: [['peers']] } }, { i1: { counts: { peers: 4 }, sets: [['peers']] } }]);
 * // { subject: 'i1', groups: ['peers'], raters: 1 }
 */
export function findVersionLeak(groups: readonly RaterGroup[], k: number, footprints: readonly Footprint[]): VersionLeak | null {
  const subjects = [...new Set(footprints.flatMap((footprint) => Object.keys(footprint)))];
  const decided = new Map<string, VersionLeak | null>();
  for (const subject of subjects) {
    const history = footprints.map((footprint) => footprint[subject] ?? { counts: {}, sets: [] });
    const signature = `${subject === COMMENTS_SUBJECT ? 'texts' : 'numbers'}:${JSON.stringify(history)}`;
    const check = subject === COMMENTS_SUBJECT ? commentsLeak : subjectLeak;
    if (!decided.has(signature)) decided.set(signature, check(history, nonSelfGroups(groups), k));
    const leak = decided.get(signature)!;
    if (leak !== null) return { ...leak, subject };
  }
  return null;
}

interface Cell {
  group: string;
  anonymous: boolean;
  version: number;
  raters: number;
}

function nonSelfGroups(groups: readonly RaterGroup[]): Array<{ key: string; anonymous: boolean }> {
  return groups.filter((group) => !group.self).map((group) => ({ key: group.key, anonymous: group.anonymous }));
}

/** The raters who joined each version, per group: one cell per group and version; null when a count shrank. */
function cellsOf(history: readonly SubjectFootprint[], groups: ReadonlyArray<{ key: string; anonymous: boolean }>): Cell[] | null {
  const cells: Cell[] = [];
  for (const group of groups) {
    for (const [index, version] of history.entries()) {
      const raters = (version.counts[group.key] ?? 0) - (index === 0 ? 0 : (history[index - 1]!.counts[group.key] ?? 0));
      // Responses never leave a round, so a shrinking count means the input is not a version history.
      if (raters < 0) return null;
      if (raters > 0) cells.push({ group: group.key, anonymous: group.anonymous, version: index, raters });
    }
  }
  return cells;
}

/** Whether a published set (groups up to `version`) holds the cell. */
function holds(set: readonly string[], version: number, cell: Cell): boolean {
  return set.includes(cell.group) && cell.version <= version;
}

/**
 * Comments are texts, not numbers: the same comment seen in one block of version 1 and another of
 * version 2 narrows its writer to the raters of both, an intersection no sum allows. So raters are
 * told apart by where their comments would show: cells shown in exactly the same blocks of every
 * version form one class, and each class must hold 0 or at least k anonymous raters.
 */
function commentsLeak(history: readonly SubjectFootprint[], groups: ReadonlyArray<{ key: string; anonymous: boolean }>, k: number): VersionLeak | null {
  const cells = cellsOf(history, groups);
  if (cells === null) return { subject: '', groups: [], raters: 0 };
  const classes = new Map<string, Cell[]>();
  for (const cell of cells) {
    const seen = history.flatMap((version, index) => version.sets.map((set) => (holds(set, index, cell) ? '1' : '0'))).join('');
    if (!seen.includes('1')) continue;
    classes.set(seen, [...(classes.get(seen) ?? []), cell]);
  }
  for (const members of classes.values()) {
    const anonymous = members.filter((cell) => cell.anonymous).reduce((total, cell) => total + cell.raters, 0);
    if (anonymous > 0 && anonymous < k) return { subject: '', groups: [...new Set(members.filter((cell) => cell.anonymous).map((cell) => cell.group))], raters: anonymous };
  }
  return null;
}

function subjectLeak(history: readonly SubjectFootprint[], groups: ReadonlyArray<{ key: string; anonymous: boolean }>, k: number): VersionLeak | null {
  const all = cellsOf(history, groups);
  if (all === null) return { subject: '', groups: [], raters: 0 };
  // Raters of groups that are not anonymous are known (their answers can be subtracted): no column.
  const cells = all.filter((cell) => cell.anonymous);
  const rows = history.flatMap((version, index) =>
    version.sets.map((set) => cells.map((cell) => (holds(set, index, cell) ? 1n : 0n))),
  );
  const support = smallSupport(rows, cells.map((cell) => cell.raters), k);
  if (support === null) return null;
  const chosen = support.map((position) => cells[position]!);
  return { subject: '', groups: [...new Set(chosen.map((cell) => cell.group))], raters: chosen.reduce((total, cell) => total + cell.raters, 0) };
}
