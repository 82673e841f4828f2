import type { ChangeEntry, ChangeHeadline, ChangeReport, Comparison, FocusRef, NoComparison } from '../../reports/types';
import type { Language } from '../i18n/languages';
import type { Translator } from '../i18n/translator';
import { localizedQuestionnaire } from '../questionnaires/questionnaire-languages';
import type { QuestionnaireDefinition } from '../questionnaires/questionnaire-definition';
import { groupLabel } from './report-language';
import { formatGap, formatMean, type NumberFormat } from './report-view';

/**
 * What the change report page shows: first, in plain words, what reliably improved, what declined
 * and what did not move (focus areas first); then the detail, where each competency or item has a
 * full row for every set of raters with an interval, and one line for the rest. Every number comes
 * from the engine's change report; every word is in the reader's language (the translator's).
 */

const VERDICT_KINDS = { 'reliable-improvement': 'ok', 'reliable-decline': 'bad', 'no-reliable-change': '' } as const;

/**
 * The engine's reasons are English words kept for the exports (they are data there); the page
 * phrases the few the change engine writes (reports/change-report.ts, reports/statistics.ts) in
 * the reader's language. A reason not listed here is shown as the engine wrote it.
 */
const REASONS: Array<[RegExp, string, (match: RegExpExecArray) => Record<string, string>]> = [
  [/^the self-assessment is a single rater: difference only$/, 'changePage.reason.selfSingle', () => ({})],
  [/^withheld in (both rounds|the baseline round|the evaluation round)$/, 'changePage.reason.withheld', (match) => ({ rounds: roundsOf(match[1]!) })],
  [/^no answers in (both rounds|the baseline round|the evaluation round)$/, 'changePage.reason.noAnswers', (match) => ({ rounds: roundsOf(match[1]!) })],
  [/^fewer than half of its items could be compared$/, 'changePage.reason.halfItems', () => ({})],
  [/^too few raters to estimate$/, 'changePage.reason.tooFewRaters', () => ({})],
  [/^no variation in either round$/, 'changePage.reason.noVariation', () => ({})],
  [/^not in the (baseline|evaluation) questionnaire$/, 'changePage.reason.notInQuestionnaire', (match) => ({ round: match[1]! })],
  [/^not in the questionnaire of either round$/, 'changePage.reason.notInEither', () => ({})],
];

function roundsOf(words: string): string {
  return words === 'both rounds' ? 'both' : words === 'the baseline round' ? 'baseline' : 'evaluation';
}

/** Why a comparison was not made or has no interval, in the translator's language. */
export function changeReason(english: string, translator: Translator): string {
  for (const [pattern, key, values] of REASONS) {
    const match = pattern.exec(english);
    if (match) return translator.t(key, values(match));
  }
  return english;
}

/**
 * The same change report with its competency names and item texts in `language`, from the rounds'
 * frozen questionnaires (the evaluation's first: it re-runs the baseline's), as the coach's report
 * page reads them; a text with no translation stays as written. Figures and order are untouched.
 */
export function changeInLanguage(report: ChangeReport, snapshots: Array<QuestionnaireDefinition | null>, language: Language): ChangeReport {
  const texts = new Map<string, string>();
  const names = new Map<string, string>();
  for (const snapshot of snapshots.filter((found): found is QuestionnaireDefinition => found !== null).reverse()) {
    const localized = localizedQuestionnaire(snapshot, language, { fallBackToSource: true });
    localized.competencies.forEach((competency, index) => {
      texts.set(`competency:${competency.id}`, competency.name);
      names.set(snapshot.competencies[index]!.name, competency.name);
      for (const item of competency.items) texts.set(`item:${item.id}`, item.text);
    });
  }
  const relabel = <T extends { type: 'competency' | 'item'; id: string; label: string }>(entry: T): T => ({ ...entry, label: texts.get(`${entry.type}:${entry.id}`) ?? entry.label });
  const { focus, other } = report.summary;
  return {
    ...report,
    focusAreas: report.focusAreas.map(relabel),
    competencies: report.competencies.map(relabel),
    items: report.items.map(relabel),
    summary: {
      focus: { improvements: focus.improvements.map(relabel), declines: focus.declines.map(relabel), noReliableChange: focus.noReliableChange.map(relabel), notCompared: focus.notCompared.map(relabel) },
      other: { improvements: other.improvements.map(relabel), declines: other.declines.map(relabel) },
    },
    charts: {
      competencies: { ...report.charts.competencies, labels: report.charts.competencies.labels.map((label) => names.get(label) ?? label) },
      focusAreas: report.charts.focusAreas.map(relabel),
    },
  };
}

/** Phrases the change report in one language: numbers, verdicts, reasons, sets of raters, sentences. */
function phrasing(translator: Translator) {
  const { t } = translator;
  const number: NumberFormat = (value, digits) => translator.number(value, digits);
  const mean = (value: number) => formatMean(value, number);
  const gap = (value: number) => formatGap(value, number);
  const quoted = (label: string) => t('changePage.quoted', { label: label.replace(/[.]+$/, '') });
  const interval = (lower: number, upper: number) => t('changePage.intervalRange', { lower: gap(lower), upper: gap(upper) });
  /** "3.25 → 3.80, +0.55": a comparison in a line of text. */
  const fromTo = (comparison: { baseline: { mean: number }; evaluation: { mean: number }; difference: number }) =>
    `${mean(comparison.baseline.mean)} → ${mean(comparison.evaluation.mean)}, ${gap(comparison.difference)}`;
  const reason = (english: string | null): string | null => (english ? changeReason(english, translator) : english);
  /** "1 competency and 5 items", "2 items". */
  const entries = (list: Array<{ type: 'competency' | 'item' }>) => {
    const competencies = list.filter((entry) => entry.type === 'competency').length;
    const items = list.length - competencies;
    return t('changePage.count.entries', { competencies, items, both: String(competencies > 0 && items > 0) });
  };
  return { t, number, mean, gap, quoted, interval, fromTo, reason, entries };
}

type Phrasing = ReturnType<typeof phrasing>;

/** A set of raters of a competency or item: All others, Self, or a group shown on its own. */
interface Line {
  rater: string;
  allOthers: boolean;
  comparison: Comparison | NoComparison;
}

/** A set of raters whose comparison has an interval (All others always has a row of its own). */
function fullRow({ rater, comparison }: { rater: string; comparison: Comparison }, phrase: Phrasing) {
  return {
    rater,
    baseline: phrase.mean(comparison.baseline.mean),
    baselineN: comparison.baseline.n,
    evaluation: phrase.mean(comparison.evaluation.mean),
    evaluationN: comparison.evaluation.n,
    change: phrase.gap(comparison.difference),
    interval: comparison.ci ? phrase.interval(comparison.ci.lower, comparison.ci.upper) : '–',
    effect: comparison.effectSize === null ? '–' : phrase.gap(comparison.effectSize),
    verdict: { text: phrase.t(`changePage.verdict.${comparison.verdict}`), kind: VERDICT_KINDS[comparison.verdict] },
    reason: phrase.reason(comparison.reason),
  };
}

function lines(entry: ChangeEntry, translator: Translator): Line[] {
  return [
    { rater: translator.t('report.column.allOthers'), allOthers: true, comparison: entry.allOthers },
    // The coach's word for the client's own ratings (the client's report says "you" in some languages).
    { rater: translator.t('changePage.self'), allOthers: false, comparison: entry.self },
    ...entry.groups.map((group) => ({ rater: groupLabel(group.groupKey, group.label, translator), allOthers: false, comparison: group.comparison })),
  ];
}

/** Compared sets of raters other than All others that have no interval: a difference only, never "reliable". */
function differenceOnly(all: Line[]): Array<{ rater: string; comparison: Comparison }> {
  return all.flatMap((line) => (!line.allOthers && line.comparison.compared && line.comparison.ci === null ? [{ rater: line.rater, comparison: line.comparison }] : []));
}

/**
 * Why a set of raters has no interval, said once above a table when it is the same on every row
 * (Self: "a single rater"; a manager: "too few raters"), and on the row itself otherwise.
 */
function sharedReasons(entries: Line[][], phrase: Phrasing): Map<string, string> {
  const reasons = new Map<string, Set<string>>();
  for (const all of entries) {
    for (const { rater, comparison } of differenceOnly(all)) {
      const seen = reasons.get(rater) ?? new Set<string>();
      seen.add(phrase.reason(comparison.reason) ?? '');
      reasons.set(rater, seen);
    }
  }
  return new Map([...reasons].flatMap(([rater, seen]) => (seen.size === 1 && [...seen][0] ? [[rater, [...seen][0]!] as [string, string]] : [])));
}

function entryView(entry: ChangeEntry, all: Line[], shared: Map<string, string>, phrase: Phrasing) {
  const full = all.flatMap((line) => (line.comparison.compared && (line.allOthers || line.comparison.ci !== null) ? [fullRow({ rater: line.rater, comparison: line.comparison }, phrase)] : []));
  const notCompared = entry.comparable
    ? all.flatMap((line) => (line.comparison.compared ? [] : [`${line.rater} (${phrase.reason(line.comparison.reason)})`])).join(' · ')
    : (phrase.reason(entry.reason) ?? '');
  const brief = differenceOnly(all)
    .map(({ rater, comparison }) => `${rater} ${phrase.fromTo(comparison)}${shared.has(rater) || !comparison.reason ? '' : ` (${phrase.reason(comparison.reason)})`}`)
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

function tableView(entries: ChangeEntry[], translator: Translator, phrase: Phrasing) {
  const linesOf = entries.map((entry) => lines(entry, translator));
  const shared = sharedReasons(linesOf, phrase);
  return {
    entries: entries.map((entry, index) => entryView(entry, linesOf[index]!, shared, phrase)),
    sharedReasons: [...shared].map(([rater, reason]) => ({ rater, reason })),
  };
}

type Movement = 'improvement' | 'decline' | 'none';

const MOVEMENT_KINDS = { improvement: 'ok', decline: 'bad', none: '' } as const;

function headlineView(headline: ChangeHeadline, movement: Movement, sentence: string, confidence: number, phrase: Phrasing) {
  return {
    type: headline.type,
    id: headline.id,
    sentence,
    interval: headline.ciLower !== null && headline.ciUpper !== null ? phrase.t('changePage.intervalOf', { level: confidence, range: phrase.interval(headline.ciLower, headline.ciUpper) }) : null,
    verdict: { text: phrase.t(`changePage.movement.${movement}`), kind: MOVEMENT_KINDS[movement] },
  };
}

/** The focus areas in the order they were chosen, each with its verdict and a sentence a client can read. */
function focusFindings(report: ChangeReport, confidence: number, phrase: Phrasing) {
  const { focus } = report.summary;
  const finding = (headline: ChangeHeadline, movement: Movement) =>
    headlineView(
      headline,
      movement,
      phrase.t('changePage.focusSentence', { movement, label: phrase.quoted(headline.label), from: phrase.mean(headline.baselineMean), to: phrase.mean(headline.evaluationMean), difference: phrase.gap(headline.difference) }),
      confidence,
      phrase,
    );
  const found = [
    ...focus.improvements.map((headline) => finding(headline, 'improvement')),
    ...focus.declines.map((headline) => finding(headline, 'decline')),
    ...focus.noReliableChange.map((headline) => finding(headline, 'none')),
    ...focus.notCompared.map((area) => ({
      type: area.type,
      id: area.id,
      sentence: phrase.t('changePage.focusNotCompared', { label: phrase.quoted(area.label), reason: phrase.reason(area.reason) ?? '' }),
      interval: null,
      verdict: { text: phrase.t('changePage.verdict.notCompared'), kind: '' },
    })),
  ];
  const position = (ref: FocusRef) => report.focusAreas.findIndex((area) => area.type === ref.type && area.id === ref.id);
  return found.sort((a, b) => position(a) - position(b));
}

/** "What else moved" keeps to the largest changes each way; the tables have everything. */
const OTHER_CHANGES_SHOWN = 6;

function largest(headlines: ChangeHeadline[], movement: Movement, confidence: number, phrase: Phrasing) {
  return [...headlines]
    .sort((a, b) => Math.abs(b.difference) - Math.abs(a.difference))
    .slice(0, OTHER_CHANGES_SHOWN)
    .map((headline) =>
      headlineView(
        headline,
        movement,
        phrase.t('changePage.labelled', { label: phrase.quoted(headline.label), change: phrase.fromTo({ baseline: { mean: headline.baselineMean }, evaluation: { mean: headline.evaluationMean }, difference: headline.difference }) }),
        confidence,
        phrase,
      ),
    );
}

/**
 * Reliable changes of single rater groups where All others did not change reliably, from the rows
 * of the detail tables: "Direct reports: reliable decline on …".
 */
function groupChanges(entries: ChangeEntry[], translator: Translator, phrase: Phrasing) {
  const byGroup = new Map<string, { improvements: string[]; declines: string[] }>();
  for (const entry of entries) {
    if (entry.allOthers.compared && entry.allOthers.verdict !== 'no-reliable-change') continue;
    for (const group of entry.groups) {
      const comparison = group.comparison;
      if (!comparison.compared || comparison.verdict === 'no-reliable-change') continue;
      const label = groupLabel(group.groupKey, group.label, translator);
      const found = byGroup.get(label) ?? { improvements: [], declines: [] };
      (comparison.verdict === 'reliable-improvement' ? found.improvements : found.declines).push(`${phrase.quoted(entry.label)} (${phrase.fromTo(comparison)})`);
      byGroup.set(label, found);
    }
  }
  return [...byGroup].map(([group, found]) => ({
    group,
    text: [
      found.improvements.length ? phrase.t('changePage.groupImproved', { list: found.improvements.join(', ') }) : '',
      found.declines.length ? phrase.t('changePage.groupDeclined', { list: found.declines.join(', ') }) : '',
    ]
      .filter(Boolean)
      .join('; '),
  }));
}

/** "Others' ratings of Jordan improved reliably on 1 competency and 2 items and declined reliably on …" */
function inShort(report: ChangeReport, first: string, everything: ChangeEntry[], phrase: Phrasing): string {
  const { summary } = report;
  const improved = [...summary.focus.improvements, ...summary.other.improvements];
  const declined = [...summary.focus.declines, ...summary.other.declines];
  const unmoved = everything.filter((entry) => entry.allOthers.compared && entry.allOthers.verdict === 'no-reliable-change');
  const notCompared = everything.filter((entry) => !entry.allOthers.compared);
  return [
    phrase.t('changePage.inShort.moved', { name: first, improvedAny: String(improved.length > 0), improved: phrase.entries(improved), declinedAny: String(declined.length > 0), declined: phrase.entries(declined) }),
    unmoved.length ? phrase.t('changePage.inShort.chance', { what: phrase.entries(unmoved) }) : '',
    notCompared.length ? phrase.t('changePage.inShort.notCompared', { what: phrase.entries(notCompared), count: notCompared.length }) : '',
  ]
    .filter(Boolean)
    .join(' ');
}

export function changeView(report: ChangeReport, clientName: string, translator: Translator) {
  const phrase = phrasing(translator);
  const first = clientName.trim().split(/\s+/)[0] || clientName;
  const { summary } = report;
  const confidence = Math.round(report.settings.confidenceLevel * 100);
  const everything = [...report.competencies, ...report.items];
  const otherUnmoved = everything.filter((entry) => entry.allOthers.compared && entry.allOthers.verdict === 'no-reliable-change' && !entry.focus);
  const unmovedCompetencies = otherUnmoved.filter((entry) => entry.type === 'competency').map((entry) => entry.label);
  const unmovedItems = otherUnmoved.length - unmovedCompetencies.length;
  const chart = (key: 'baseline' | 'evaluation') => translator.t(`change.chart.${key}`);
  return {
    groups: report.groups.map((group) => ({ ...group, label: group.key === 'self' ? translator.t('changePage.self') : groupLabel(group.key, group.label, translator) })),
    ratersInBoth: report.ratersInBoth,
    inShort: inShort(report, first, everything, phrase),
    hasFocus: report.focusAreas.length > 0,
    focus: focusFindings(report, confidence, phrase),
    otherImprovements: largest(summary.other.improvements, 'improvement', confidence, phrase),
    otherDeclines: largest(summary.other.declines, 'decline', confidence, phrase),
    otherMore: Math.max(0, summary.other.improvements.length - OTHER_CHANGES_SHOWN) + Math.max(0, summary.other.declines.length - OTHER_CHANGES_SHOWN),
    groupChanges: groupChanges(everything, translator, phrase),
    /** "Apart from the focus areas, 2 competencies (…) and 5 items did not change reliably …"; null when everything else moved. */
    unmoved: otherUnmoved.length
      ? translator.t('changePage.unmoved.text', {
          focus: String(report.focusAreas.length > 0),
          competencies: unmovedCompetencies.length,
          names: unmovedCompetencies.join(', '),
          items: unmovedItems,
          both: String(unmovedCompetencies.length > 0 && unmovedItems > 0),
          total: otherUnmoved.length,
          confidence,
        })
      : null,
    competencies: tableView(report.competencies, translator, phrase),
    items: tableView(report.items, translator, phrase),
    charts: {
      competencies: { ...report.charts.competencies, datasets: report.charts.competencies.datasets.map((dataset) => ({ ...dataset, label: chart(dataset.key) })), max: report.settings.scalePoints },
      focus: { areas: report.charts.focusAreas, max: report.settings.scalePoints },
    },
    hasFocusChart: report.charts.focusAreas.length > 0,
    confidence,
    notes: report.notes,
  };
}
