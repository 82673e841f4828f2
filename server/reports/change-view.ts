import type { ChangeEntry, ChangeHeadline, ChangeReport, Comparison, FocusRef, NoComparison } from '../../reports/types';
import { formatGap, formatMean } from './report-view';

/**
 * What the change report page shows: first, in plain words, what reliably improved, what declined
 * and what did not move (focus areas first); then the detail, where each competency or item has a
 * full row for every set of raters with an interval, and one line for the rest. Every number comes
 * from the engine's change report.
 */

const VERDICTS = {
  'reliable-improvement': { text: 'Reliably improved', kind: 'ok' },
  'reliable-decline': { text: 'Reliably declined', kind: 'bad' },
  'no-reliable-change': { text: 'No reliable change', kind: '' },
} as const;

function unquoted(label: string): string {
  return label.replace(/[.]+$/, '');
}

function intervalText(lower: number, upper: number): string {
  return `${formatGap(lower)} to ${formatGap(upper)}`;
}

/** "3.25 → 3.80, +0.55": a comparison in a line of text. */
function fromTo(comparison: { baseline: { mean: number }; evaluation: { mean: number }; difference: number }): string {
  return `${formatMean(comparison.baseline.mean)} → ${formatMean(comparison.evaluation.mean)}, ${formatGap(comparison.difference)}`;
}

interface Line {
  rater: string;
  comparison: Comparison | NoComparison;
}

/** A set of raters whose comparison has an interval (All others always has a row of its own). */
function fullRow({ rater, comparison }: { rater: string; comparison: Comparison }) {
  return {
    rater,
    baseline: formatMean(comparison.baseline.mean),
    baselineN: comparison.baseline.n,
    evaluation: formatMean(comparison.evaluation.mean),
    evaluationN: comparison.evaluation.n,
    change: formatGap(comparison.difference),
    interval: comparison.ci ? intervalText(comparison.ci.lower, comparison.ci.upper) : '–',
    effect: comparison.effectSize === null ? '–' : formatGap(comparison.effectSize),
    verdict: VERDICTS[comparison.verdict],
    reason: comparison.reason,
  };
}

/**
 * Why a set of raters has no interval, said once above a table when it is the same on every row
 * (Self: "a single rater"; a manager: "too few raters"), and on the row itself otherwise.
 */
function sharedReasons(entries: ChangeEntry[]): Map<string, string> {
  const reasons = new Map<string, Set<string>>();
  for (const entry of entries) {
    for (const { rater, comparison } of differenceOnly(entry)) {
      const seen = reasons.get(rater) ?? new Set<string>();
      seen.add(comparison.reason ?? '');
      reasons.set(rater, seen);
    }
  }
  return new Map([...reasons].flatMap(([rater, seen]) => (seen.size === 1 && [...seen][0] ? [[rater, [...seen][0]!] as [string, string]] : [])));
}

function lines(entry: ChangeEntry): Line[] {
  return [{ rater: 'All others', comparison: entry.allOthers }, { rater: 'Self', comparison: entry.self }, ...entry.groups.map((group) => ({ rater: group.label, comparison: group.comparison }))];
}

/** Compared sets of raters other than All others that have no interval: a difference only, never "reliable". */
function differenceOnly(entry: ChangeEntry): Array<{ rater: string; comparison: Comparison }> {
  return lines(entry).flatMap((line) => (line.rater !== 'All others' && line.comparison.compared && line.comparison.ci === null ? [{ rater: line.rater, comparison: line.comparison }] : []));
}

function entryView(entry: ChangeEntry, shared: Map<string, string>) {
  const all = lines(entry);
  const full = all.flatMap((line) =>
    line.comparison.compared && (line.rater === 'All others' || line.comparison.ci !== null) ? [fullRow({ rater: line.rater, comparison: line.comparison })] : [],
  );
  const notCompared = entry.comparable ? all.flatMap((line) => (line.comparison.compared ? [] : [`${line.rater} (${line.comparison.reason})`])).join(' · ') : (entry.reason ?? '');
  const brief = differenceOnly(entry)
    .map(({ rater, comparison }) => `${rater} ${fromTo(comparison)}${shared.has(rater) || !comparison.reason ? '' : ` (${comparison.reason})`}`)
    .join(' · ');
  return {
    label: entry.label,
    focus: entry.focus,
    rows: full,
    /** When no set of raters has a full row, the "not compared" line is the entry's first row. */
    notComparedFirst: full.length === 0,
    differenceOnly: brief,
    notCompared,
    /** Rows of the entry's <tbody>: the full rows (or the "not compared" line), and one line each for the rest. */
    span: (full.length || 1) + (brief ? 1 : 0) + (full.length && notCompared ? 1 : 0),
  };
}

function tableView(entries: ChangeEntry[]) {
  const shared = sharedReasons(entries);
  return {
    entries: entries.map((entry) => entryView(entry, shared)),
    sharedReasons: [...shared].map(([rater, reason]) => ({ rater, reason })),
  };
}

type Movement = 'improvement' | 'decline' | 'none';

const MOVEMENT_VERDICTS = {
  improvement: { text: 'Improved', kind: 'ok' },
  decline: { text: 'Declined', kind: 'bad' },
  none: { text: 'No reliable change', kind: '' },
} as const;

/** A focus area's finding, in a sentence a client can read. */
function focusSentence(headline: ChangeHeadline, movement: Movement): string {
  const label = unquoted(headline.label);
  const from = formatMean(headline.baselineMean);
  const to = formatMean(headline.evaluationMean);
  const difference = formatGap(headline.difference);
  if (movement === 'improvement') return `“${label}” improved reliably: others' average rose from ${from} to ${to} (${difference}).`;
  if (movement === 'decline') return `“${label}” declined reliably: others' average fell from ${from} to ${to} (${difference}).`;
  return `“${label}” did not change reliably: others' average went from ${from} to ${to} (${difference}), a difference that could be chance.`;
}

function headlineView(headline: ChangeHeadline, movement: Movement, sentence: string) {
  return {
    type: headline.type,
    id: headline.id,
    sentence,
    interval: headline.ciLower !== null && headline.ciUpper !== null ? `95% interval ${intervalText(headline.ciLower, headline.ciUpper)}` : null,
    verdict: MOVEMENT_VERDICTS[movement],
  };
}

/** The focus areas in the order they were chosen, each with its verdict. */
function focusFindings(report: ChangeReport) {
  const { focus } = report.summary;
  const found = [
    ...focus.improvements.map((headline) => headlineView(headline, 'improvement', focusSentence(headline, 'improvement'))),
    ...focus.declines.map((headline) => headlineView(headline, 'decline', focusSentence(headline, 'decline'))),
    ...focus.noReliableChange.map((headline) => headlineView(headline, 'none', focusSentence(headline, 'none'))),
    ...focus.notCompared.map((area) => ({
      type: area.type,
      id: area.id,
      sentence: `“${unquoted(area.label)}”: not compared (${area.reason}).`,
      interval: null,
      verdict: { text: 'Not compared', kind: '' },
    })),
  ];
  const position = (ref: FocusRef) => report.focusAreas.findIndex((area) => area.type === ref.type && area.id === ref.id);
  return found.sort((a, b) => position(a) - position(b));
}

/** "What else moved" keeps to the largest changes each way; the tables have everything. */
const OTHER_CHANGES_SHOWN = 6;

function largest(headlines: ChangeHeadline[], movement: Movement) {
  return [...headlines]
    .sort((a, b) => Math.abs(b.difference) - Math.abs(a.difference))
    .slice(0, OTHER_CHANGES_SHOWN)
    .map((headline) => headlineView(headline, movement, `“${unquoted(headline.label)}”: ${fromTo({ baseline: { mean: headline.baselineMean }, evaluation: { mean: headline.evaluationMean }, difference: headline.difference })}`));
}

function countOf(count: number, singular: string, plural: string): string {
  return `${count} ${count === 1 ? singular : plural}`;
}

/** "1 competency and 5 items", "2 items". */
function entriesText(entries: Array<{ type: 'competency' | 'item' }>): string {
  const competencies = entries.filter((entry) => entry.type === 'competency').length;
  const items = entries.length - competencies;
  const parts = [competencies ? countOf(competencies, 'competency', 'competencies') : '', items ? countOf(items, 'item', 'items') : ''].filter(Boolean);
  return parts.join(' and ');
}

/**
 * Reliable changes of single rater groups where All others did not change reliably, from the rows
 * of the detail tables: "Direct reports: reliable decline on …".
 */
function groupChanges(entries: ChangeEntry[]) {
  const byGroup = new Map<string, { improvements: string[]; declines: string[] }>();
  for (const entry of entries) {
    if (entry.allOthers.compared && entry.allOthers.verdict !== 'no-reliable-change') continue;
    for (const group of entry.groups) {
      const comparison = group.comparison;
      if (!comparison.compared || comparison.verdict === 'no-reliable-change') continue;
      const found = byGroup.get(group.label) ?? { improvements: [], declines: [] };
      (comparison.verdict === 'reliable-improvement' ? found.improvements : found.declines).push(`“${unquoted(entry.label)}” (${fromTo(comparison)})`);
      byGroup.set(group.label, found);
    }
  }
  return [...byGroup].map(([group, found]) => ({
    group,
    text: [found.improvements.length ? `improved reliably on ${found.improvements.join(', ')}` : '', found.declines.length ? `declined reliably on ${found.declines.join(', ')}` : '']
      .filter(Boolean)
      .join('; '),
  }));
}

export function changeView(report: ChangeReport, clientName: string) {
  const first = clientName.trim().split(/\s+/)[0] || clientName;
  const { summary } = report;
  const everything = [...report.competencies, ...report.items];
  const improvedAll = [...summary.focus.improvements, ...summary.other.improvements];
  const declinedAll = [...summary.focus.declines, ...summary.other.declines];
  const unmoved = everything.filter((entry) => entry.allOthers.compared && entry.allOthers.verdict === 'no-reliable-change');
  const notCompared = everything.filter((entry) => !entry.allOthers.compared);
  const otherUnmoved = unmoved.filter((entry) => !entry.focus);
  return {
    groups: report.groups,
    ratersInBoth: report.ratersInBoth,
    inShort: [
      improvedAll.length ? `Others' ratings of ${first} improved reliably on ${entriesText(improvedAll)}` : `Others' ratings of ${first} did not improve reliably anywhere`,
      declinedAll.length ? `and declined reliably on ${entriesText(declinedAll)}.` : 'and nothing declined reliably.',
      unmoved.length ? `On ${entriesText(unmoved)} the difference could be chance.` : '',
      notCompared.length ? `${entriesText(notCompared)} could not be compared.` : '',
    ]
      .filter(Boolean)
      .join(' '),
    hasFocus: report.focusAreas.length > 0,
    focus: focusFindings(report),
    otherImprovements: largest(summary.other.improvements, 'improvement'),
    otherDeclines: largest(summary.other.declines, 'decline'),
    otherMore: Math.max(0, summary.other.improvements.length - OTHER_CHANGES_SHOWN) + Math.max(0, summary.other.declines.length - OTHER_CHANGES_SHOWN),
    groupChanges: groupChanges(everything),
    unmoved: {
      competencies: otherUnmoved.filter((entry) => entry.type === 'competency').map((entry) => entry.label),
      items: otherUnmoved.filter((entry) => entry.type === 'item').length,
    },
    competencies: tableView(report.competencies),
    items: tableView(report.items),
    charts: {
      competencies: { ...report.charts.competencies, max: report.settings.scalePoints },
      focus: { areas: report.charts.focusAreas, max: report.settings.scalePoints },
    },
    hasFocusChart: report.charts.focusAreas.length > 0,
    confidence: Math.round(report.settings.confidenceLevel * 100),
    notes: report.notes,
  };
}
