import type { ChangeEntry, ChangeHeadline, ChangeReport, Comparison, NoComparison } from '../../reports/types';
import { formatGap, formatMean } from './report-view';

/**
 * What the change report page shows: sentences for "What changed", one row per compared set of
 * raters, and chart data. Every number comes from the engine's change report.
 */

const VERDICTS = {
  'reliable-improvement': { text: 'Reliable improvement', kind: 'ok' },
  'reliable-decline': { text: 'Reliable decline', kind: 'bad' },
  'no-reliable-change': { text: 'No reliable change', kind: '' },
} as const;

function interval(comparison: Comparison): string {
  return comparison.ci ? `${formatGap(comparison.ci.lower)} to ${formatGap(comparison.ci.upper)}` : '–';
}

function comparisonRow(rater: string, comparison: Comparison | NoComparison) {
  if (!comparison.compared) return { rater, compared: false, reason: comparison.reason };
  return {
    rater,
    compared: true,
    baseline: formatMean(comparison.baseline.mean),
    baselineN: comparison.baseline.n,
    evaluation: formatMean(comparison.evaluation.mean),
    evaluationN: comparison.evaluation.n,
    change: formatGap(comparison.difference),
    interval: interval(comparison),
    effect: comparison.effectSize === null ? '–' : formatGap(comparison.effectSize),
    verdict: VERDICTS[comparison.verdict],
    reason: comparison.reason,
  };
}

function entryView(entry: ChangeEntry) {
  return {
    label: entry.label,
    type: entry.type,
    focus: entry.focus,
    comparable: entry.comparable,
    reason: entry.reason,
    rows: [comparisonRow('All others', entry.allOthers), comparisonRow('Self', entry.self), ...entry.groups.map((group) => comparisonRow(group.label, group.comparison))],
  };
}

function headlineSentence(headline: ChangeHeadline, verdict: 'improvement' | 'decline' | 'none'): string {
  const label = headline.label.replace(/[.]+$/, '');
  const range = headline.ciLower !== null && headline.ciUpper !== null ? `; 95% interval ${formatGap(headline.ciLower)} to ${formatGap(headline.ciUpper)}` : '';
  const movement = `from ${formatMean(headline.baselineMean)} to ${formatMean(headline.evaluationMean)} (${formatGap(headline.difference)}${range})`;
  if (verdict === 'improvement') return `“${label}” improved reliably: others' average rose ${movement}.`;
  if (verdict === 'decline') return `“${label}” declined reliably: others' average fell ${movement}.`;
  return `“${label}”: no reliable change, ${movement}. The interval includes zero, so the difference could be chance.`;
}

/** "What changed" keeps to the focus areas and the five largest other changes each way; the tables have everything. */
const OTHER_CHANGES_SHOWN = 5;

function largest(headlines: ChangeHeadline[]): ChangeHeadline[] {
  return [...headlines].sort((a, b) => Math.abs(b.difference) - Math.abs(a.difference)).slice(0, OTHER_CHANGES_SHOWN);
}

export function changeView(report: ChangeReport, clientName: string) {
  const first = clientName.trim().split(/\s+/)[0] ?? clientName;
  const summary = report.summary;
  const competencies = report.competencies.map(entryView);
  const items = report.items.map(entryView);
  return {
    firstName: first,
    groups: report.groups,
    ratersInBoth: report.ratersInBoth,
    focusSentences: [
      ...summary.focus.improvements.map((headline) => headlineSentence(headline, 'improvement')),
      ...summary.focus.declines.map((headline) => headlineSentence(headline, 'decline')),
      ...summary.focus.noReliableChange.map((headline) => headlineSentence(headline, 'none')),
      ...summary.focus.notCompared.map((area) => `“${area.label.replace(/[.]+$/, '')}”: not compared (${area.reason}).`),
    ],
    otherImprovements: largest(summary.other.improvements).map((headline) => headlineSentence(headline, 'improvement')),
    otherDeclines: largest(summary.other.declines).map((headline) => headlineSentence(headline, 'decline')),
    otherMore: Math.max(0, summary.other.improvements.length - OTHER_CHANGES_SHOWN) + Math.max(0, summary.other.declines.length - OTHER_CHANGES_SHOWN),
    hasFocus: report.focusAreas.length > 0,
    competencies,
    items,
    focusItems: items.filter((item) => item.focus),
    otherItems: items.filter((item) => !item.focus),
    charts: {
      competencies: { ...report.charts.competencies, max: report.settings.scalePoints },
      focus: { areas: report.charts.focusAreas, max: report.settings.scalePoints },
    },
    competencyRows: report.charts.competencies.labels.map((label, index) => ({
      label,
      baseline: formatMean(report.charts.competencies.datasets[0]?.data[index]),
      evaluation: formatMean(report.charts.competencies.datasets[1]?.data[index]),
    })),
    focusRows: report.charts.focusAreas.map((area) => ({ label: area.label, baseline: formatMean(area.baseline), evaluation: formatMean(area.evaluation) })),
    confidence: Math.round(report.settings.confidenceLevel * 100),
    notes: report.notes,
  };
}
