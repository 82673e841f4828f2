/**
 * The change report: evaluation round against baseline round. Each round is first computed with
 * its own report (so each round's figures obey that round's own anonymity rule); a comparison is
 * only ever made between two figures that are shown in their rounds. Nothing here looks at a
 * response directly.
 */
import { buildReport } from './build-report';
import { ReportInputError } from './errors';
import { effectSize, welchInterval, type SampleSummary } from './statistics';
import type {
  ChangeEntry,
  ChangeHeadline,
  ChangeOptions,
  ChangeReport,
  ChangeSummary,
  ChangeVerdict,
  Comparison,
  ConfidenceInterval,
  Figure,
  FigureSlots,
  FocusAreaStatus,
  FocusRef,
  GroupRoundCounts,
  GroupSummary,
  NoComparison,
  ReportInput,
  ReportModel,
} from './types';

/** The confidence level of every interval of the change report. */
export const CONFIDENCE_LEVEL = 0.95;

const SELF_REASON = 'the self-assessment is a single rater: difference only';

/**
 * Compares an evaluation round with its baseline, per competency and item, for self, All others
 * and each group shown on its own in both rounds: difference of means, Welch's 95% interval,
 * effect size and a verdict that is "reliable" only when the interval excludes 0.
 *
 * @example
 * const change = buildChangeReport(baselineInput, evaluationInput, {
 *   focus: [{ type: 'competency', id: 'delegation' }],
 *   ratersInBoth: 4,
 * });
 * change.competencies[0];            // the focus competency, flagged focus: true
 * change.summary.focus.improvements; // e.g. [{ id: 'delegation', difference: 0.9, ciLower: 0.2, ... }]
 */
export function buildChangeReport(baseline: ReportInput, evaluation: ReportInput, options: ChangeOptions): ChangeReport {
  assertSameScale(baseline, evaluation);
  const before = buildReport(baseline);
  const after = buildReport(evaluation);
  const groups = groupRoundCounts(before, after);
  const compared = groups.filter((group) => group.compared);
  const isFocus = (type: FocusRef['type'], id: string) => options.focus.some((f) => f.type === type && f.id === id);
  const entries = (subjects: Subject[]) =>
    focusFirst(subjects.map((subject) => changeEntry(subject, compared, isFocus(subject.type, subject.id))), options.focus);
  const competencies = entries(competencySubjects(before, after));
  const items = entries(itemSubjects(before, after));
  const focusAreas = options.focus.map(({ type, id }): FocusAreaStatus => {
    const entry = findEntry({ type, id }, competencies, items);
    return { type, id, label: entry?.label ?? id, found: entry !== undefined };
  });
  return {
    settings: {
      scalePoints: after.settings.scalePoints,
      scaleLabels: after.settings.scaleLabels,
      confidenceLevel: CONFIDENCE_LEVEL,
    },
    groups,
    ratersInBoth: options.ratersInBoth,
    focusAreas,
    competencies,
    items,
    summary: summariseChanges(competencies, items, focusAreas),
    charts: changeCharts(competencies, items, focusAreas),
    notes: [
      ...before.notes.map((note) => `Baseline: ${note}`),
      ...after.notes.map((note) => `Evaluation: ${note}`),
      ...focusAreas.filter((area) => !area.found).map((area) => `Focus area ${area.type} "${area.id}" is in neither questionnaire`),
    ],
  };
}

/**
 * Compares two figures of the same thing in two rounds. Not compared when either is withheld or
 * has no answers. `single` marks the self-assessment, one rater: difference only, no interval.
 * Otherwise Welch's interval decides the verdict; when it cannot be estimated (fewer than two
 * raters, no variation in either round) the verdict is "no-reliable-change" and `reason` says why.
 *
 * @example
 * compareFigures(
 *   { withheld: false, n: 5, nNA: 0, mean: 3, sd: 1 },
 *   { withheld: false, n: 5, nNA: 0, mean: 4, sd: 1 },
 *   false,
 * );
 * // { compared: true, difference: 1, ci: { lower: -0.459, upper: 2.459, df: 8, ... }, effectSize: 1,
 * //   verdict: 'no-reliable-change', reason: null, ... }
 */
export function compareFigures(before: Figure, after: Figure, single: boolean): Comparison | NoComparison {
  if (before.withheld || after.withheld) {
    return notCompared(`withheld in ${whichRounds(before.withheld, after.withheld)}`);
  }
  if (before.mean === null || after.mean === null) {
    return notCompared(`no answers in ${whichRounds(before.mean === null, after.mean === null)}`);
  }
  const baseline: SampleSummary = { mean: before.mean, n: before.n, sd: before.sd };
  const evaluation: SampleSummary = { mean: after.mean, n: after.n, sd: after.sd };
  const difference = evaluation.mean - baseline.mean;
  if (single) {
    return { compared: true, baseline, evaluation, difference, ci: null, effectSize: null, verdict: 'no-reliable-change', reason: SELF_REASON };
  }
  const interval = welchInterval(baseline, evaluation, CONFIDENCE_LEVEL);
  const ci = typeof interval === 'string' ? null : interval;
  return {
    compared: true,
    baseline,
    evaluation,
    difference,
    ci,
    effectSize: effectSize(baseline, evaluation),
    verdict: verdictOf(ci),
    reason: typeof interval === 'string' ? interval : null,
  };
}

/**
 * "Reliable" only when the interval excludes 0; no interval means no reliable change.
 *
 * @example
 * verdictOf({ lower: 0.2, upper: 1.4, level: 0.95, df: 8, se: 0.3 }); // 'reliable-improvement'
 * verdictOf(null);                                                    // 'no-reliable-change'
 */
export function verdictOf(ci: ConfidenceInterval | null): ChangeVerdict {
  if (ci !== null && ci.lower > 0) return 'reliable-improvement';
  if (ci !== null && ci.upper < 0) return 'reliable-decline';
  return 'no-reliable-change';
}

/** A competency or item as found in either round. */
interface Subject {
  type: FocusRef['type'];
  id: string;
  label: string;
  competencyId: string;
  before: FigureSlots | undefined;
  after: FigureSlots | undefined;
}

function assertSameScale(baseline: ReportInput, evaluation: ReportInput): void {
  const [a, b] = [baseline.questionnaire.scale.points, evaluation.questionnaire.scale.points];
  if (a !== b) throw new ReportInputError(`the rounds use different scales (${a} and ${b} points) and cannot be compared`);
}

function competencySubjects(before: ReportModel, after: ReportModel): Subject[] {
  return pairBy(before.competencies, after.competencies, byId).map(({ id, before: b, after: a }) => ({
    type: 'competency',
    id,
    label: (a ?? b)!.name,
    competencyId: id,
    before: b,
    after: a,
  }));
}

function itemSubjects(before: ReportModel, after: ReportModel): Subject[] {
  const itemsOf = (report: ReportModel) => report.competencies.flatMap((competency) => competency.items);
  return pairBy(itemsOf(before), itemsOf(after), byId).map(({ id, before: b, after: a }) => ({
    type: 'item',
    id,
    label: (a ?? b)!.text,
    competencyId: (a ?? b)!.competencyId,
    before: b,
    after: a,
  }));
}

/** Pairs what both rounds have by key: evaluation order first, then whatever only the baseline had. */
function pairBy<T>(
  before: readonly T[],
  after: readonly T[],
  keyOf: (x: T) => string,
): Array<{ id: string; before: T | undefined; after: T | undefined }> {
  const afterIds = after.map(keyOf);
  const ids = [...afterIds, ...before.map(keyOf).filter((id) => !afterIds.includes(id))];
  return ids.map((id) => ({ id, before: before.find((x) => keyOf(x) === id), after: after.find((x) => keyOf(x) === id) }));
}

const byId = (x: { id: string }) => x.id;

function changeEntry(subject: Subject, compared: readonly GroupRoundCounts[], focus: boolean): ChangeEntry {
  const { type, id, label, competencyId, before, after } = subject;
  const common = { type, id, label, competencyId, focus };
  if (before === undefined || after === undefined) {
    const reason = `not in the ${before === undefined ? 'baseline' : 'evaluation'} questionnaire`;
    return {
      ...common,
      comparable: false,
      reason,
      self: notCompared(reason),
      allOthers: notCompared(reason),
      groups: compared.map((group) => ({ groupKey: group.key, label: group.label, comparison: notCompared(reason) })),
    };
  }
  const groupFigure = (slots: FigureSlots, key: string) => slots.groups.find((g) => g.groupKey === key)!.figure;
  return {
    ...common,
    comparable: true,
    reason: null,
    self: compareFigures(before.self, after.self, true),
    allOthers: compareFigures(before.allOthers, after.allOthers, false),
    groups: compared.map((group) => ({
      groupKey: group.key,
      label: group.label,
      comparison: compareFigures(groupFigure(before, group.key), groupFigure(after, group.key), false),
    })),
  };
}

/** Focus entries first, in the order the focus areas were chosen; then the rest as they were. */
function focusFirst(entries: ChangeEntry[], focus: readonly FocusRef[]): ChangeEntry[] {
  const focusIndex = (entry: ChangeEntry) => focus.findIndex((f) => f.type === entry.type && f.id === entry.id);
  const focused = entries.filter((entry) => entry.focus).sort((a, b) => focusIndex(a) - focusIndex(b));
  return [...focused, ...entries.filter((entry) => !entry.focus)];
}

function findEntry(ref: FocusRef, competencies: readonly ChangeEntry[], items: readonly ChangeEntry[]): ChangeEntry | undefined {
  return (ref.type === 'competency' ? competencies : items).find((entry) => entry.id === ref.id);
}

function groupRoundCounts(before: ReportModel, after: ReportModel): GroupRoundCounts[] {
  const counts = (group: GroupSummary | undefined) =>
    group === undefined ? null : { invited: group.invited, completed: group.completed, status: group.status };
  return pairBy(before.groups, after.groups, (group) => group.key).map(({ id, before: b, after: a }) => ({
    key: id,
    label: (a ?? b)!.label,
    baseline: counts(b),
    evaluation: counts(a),
    compared: a?.status === 'shown' && b?.status === 'shown',
  }));
}

function summariseChanges(
  competencies: readonly ChangeEntry[],
  items: readonly ChangeEntry[],
  focusAreas: readonly FocusAreaStatus[],
): ChangeSummary {
  const focusEntries = focusAreas.map((area) => ({ area, entry: findEntry(area, competencies, items) }));
  const compared = focusEntries.flatMap(({ entry }) => (entry !== undefined && entry.allOthers.compared ? [entry] : []));
  const others = [...competencies, ...items].filter((entry) => !entry.focus);
  return {
    focus: {
      improvements: headlines(compared, 'reliable-improvement'),
      declines: headlines(compared, 'reliable-decline'),
      noReliableChange: headlines(compared, 'no-reliable-change'),
      notCompared: focusEntries.flatMap(({ area, entry }) => {
        const comparison = entry?.allOthers;
        if (comparison?.compared) return [];
        const reason = comparison === undefined ? 'not in the questionnaire of either round' : comparison.reason;
        return [{ type: area.type, id: area.id, label: area.label, reason }];
      }),
    },
    other: {
      improvements: headlines(others, 'reliable-improvement'),
      declines: headlines(others, 'reliable-decline'),
    },
  };
}

function headlines(entries: readonly ChangeEntry[], verdict: ChangeVerdict): ChangeHeadline[] {
  return entries.flatMap((entry) => {
    const c = entry.allOthers;
    if (!c.compared || c.verdict !== verdict) return [];
    return [{
      type: entry.type,
      id: entry.id,
      label: entry.label,
      baselineMean: c.baseline.mean,
      evaluationMean: c.evaluation.mean,
      difference: c.difference,
      ciLower: c.ci?.lower ?? null,
      ciUpper: c.ci?.upper ?? null,
      effectSize: c.effectSize,
    }];
  });
}

/** All others before and after: per competency, and per focus area found in the questionnaire. */
function changeCharts(
  competencies: readonly ChangeEntry[],
  items: readonly ChangeEntry[],
  focusAreas: readonly FocusAreaStatus[],
): ChangeReport['charts'] {
  const series = (round: 'baseline' | 'evaluation') => competencies.map((entry) => othersMean(entry, round));
  return {
    competencies: {
      labels: competencies.map((entry) => entry.label),
      datasets: [
        { key: 'baseline', label: 'Baseline', data: series('baseline') },
        { key: 'evaluation', label: 'Evaluation', data: series('evaluation') },
      ],
    },
    focusAreas: focusAreas.flatMap(({ type, id, label }) => {
      const entry = findEntry({ type, id }, competencies, items);
      if (entry === undefined) return [];
      return [{ type, id, label, baseline: othersMean(entry, 'baseline'), evaluation: othersMean(entry, 'evaluation') }];
    }),
  };
}

function othersMean(entry: ChangeEntry, round: 'baseline' | 'evaluation'): number | null {
  return entry.allOthers.compared ? entry.allOthers[round].mean : null;
}

function notCompared(reason: string): NoComparison {
  return { compared: false, reason };
}

function whichRounds(inBaseline: boolean, inEvaluation: boolean): string {
  if (inBaseline && inEvaluation) return 'both rounds';
  return inBaseline ? 'the baseline round' : 'the evaluation round';
}
