import type {
  AgreementCategory,
  CompetencyResult,
  Figure,
  FigureBase,
  FigureSlots,
  GapFinding,
  ItemFigure,
  ReportModel,
} from '../../reports/types';
import type { NormPlacement } from '../../reports/index';
import { placementView } from '../norms/norm-view';

/**
 * Turns a report model into what the report page shows: formatted numbers, sentences, table rows,
 * small SVG bars and chart data. Presentation only: every number comes from the engine's model.
 */

const SELF_COLOUR = '#b45309';
const OTHERS_COLOUR = '#1d5b86';
const GROUP_COLOURS = ['#0f766e', '#7c3aed', '#64748b', '#be185d', '#4d7c0f'];
// ColorBrewer RdBu, colour-blind safe: disagreement in red, agreement in blue.
const DIVERGING = ['#b2182b', '#ef8a62', '#fddbc7', '#d1e5f0', '#67a9cf', '#2166ac'];

export function formatMean(value: number | null | undefined): string {
  return typeof value === 'number' && Number.isFinite(value) ? value.toFixed(2) : '–';
}

export function formatGap(value: number | null | undefined): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '–';
  const text = Math.abs(value).toFixed(2);
  return value > 0.004 ? `+${text}` : value < -0.004 ? `−${text}` : text;
}

/** Colours for K scale points, from the diverging palette. */
export function scaleColours(points: number): string[] {
  return Array.from({ length: points }, (_, index) => DIVERGING[Math.round((index * (DIVERGING.length - 1)) / Math.max(1, points - 1))]!);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A stacked bar of answers per scale point, as inline SVG (no script, prints as is). */
export function distributionSvg(counts: number[], labels: string[]): string {
  const total = counts.reduce((sum, count) => sum + count, 0);
  const description = labels.map((label, index) => `${label}: ${counts[index] ?? 0}`).join(', ');
  if (total === 0) return '';
  const colours = scaleColours(counts.length);
  let x = 0;
  const rects = counts
    .map((count, index) => {
      const width = (count / total) * 160;
      const rect = count ? `<rect x="${x.toFixed(2)}" y="0" width="${width.toFixed(2)}" height="14" fill="${colours[index]}"/>` : '';
      x += width;
      return rect;
    })
    .join('');
  return `<svg class="dist" viewBox="0 0 160 14" width="160" height="14" role="img" aria-label="${escapeXml(description)}"><title>${escapeXml(description)}</title>${rects}</svg>`;
}

interface Column {
  key: string;
  label: string;
}

interface Cell {
  /** The column's label, shown beside the figure where the table is laid out as cards. */
  label: string;
  text: string;
  n: number | null;
  withheld: boolean;
  reason: string | null;
}

function cell(label: string, figure: Figure<FigureBase>): Cell {
  if (figure.withheld) return { label, text: '–', n: null, withheld: true, reason: figure.reason };
  return { label, text: formatMean(figure.mean), n: figure.n, withheld: false, reason: null };
}

function cells(slots: FigureSlots<FigureBase>): Cell[] {
  // The self figure is one person by definition: its count says nothing.
  return [{ ...cell('Self', slots.self), n: null }, cell('All others', slots.allOthers), ...slots.groups.map((group) => cell(group.label, group.figure))];
}

/** The summary keeps to the first few findings; the rest are marked in the details. */
const SUMMARY_FINDINGS = 3;

function summaryFindings(findings: GapFinding[], first: string, blindSpot: boolean) {
  return {
    sentences: findings.slice(0, SUMMARY_FINDINGS).map((finding) => gapSentence(finding, first, blindSpot)),
    more: Math.max(0, findings.length - SUMMARY_FINDINGS),
  };
}

const GROUP_ROLE: Record<string, string> = {
  self: 'self-ratings',
  shown: 'shown on its own',
  'below-minimum': 'too few to show on its own: counted in All others',
  merged: 'merged into All others, so that a smaller group cannot be worked out',
  'no-responses': 'no responses',
};

const AGREEMENT_TEXT: Record<AgreementCategory, string> = {
  'over-rater': 'rates self higher than others do',
  'under-rater': 'rates self lower than others do',
  'in-agreement-high': 'in agreement, high',
  'in-agreement-low': 'in agreement, low',
  'in-agreement': 'in agreement',
};

function findingBadge(finding: string | null): { label: string; kind: string } | null {
  if (finding === 'blind-spot') return { label: 'Blind spot', kind: 'warn' };
  if (finding === 'hidden-strength') return { label: 'Hidden strength', kind: 'ok' };
  return null;
}

function firstNameOf(name: string): string {
  return name.trim().split(/\s+/)[0] ?? name;
}

function gapSentence(finding: GapFinding, first: string, blindSpot: boolean): string {
  const label = finding.label.replace(/[.!?]+$/, '');
  const what = finding.type === 'competency' ? `the competency “${label}”` : `“${label}”`;
  return blindSpot
    ? `On ${what}, ${first} rates themself ${formatMean(finding.selfMean)} while others give ${formatMean(finding.othersMean)}, ${formatGap(finding.gap).replace('+', '')} points lower.`
    : `On ${what}, others give ${formatMean(finding.othersMean)} while ${first} rates themself ${formatMean(finding.selfMean)}, ${formatGap(-finding.gap).replace('+', '')} points lower.`;
}

function responseSummary(model: ReportModel, first: string) {
  const others = model.groups.filter((group) => !group.self);
  const invited = others.reduce((sum, group) => sum + group.invited, 0);
  const completed = others.reduce((sum, group) => sum + group.completed, 0);
  const self = model.groups.find((group) => group.self);
  const rate = invited ? Math.round((completed / invited) * 100) : 0;
  const selfPart = self && self.completed > 0 ? `${first} completed the self-assessment.` : `${first} did not complete the self-assessment.`;
  return {
    sentence: `${completed} of ${invited} people invited gave feedback (${rate}%). ${selfPart}`,
    rows: model.groups.map((group) => ({
      ...group,
      rate: group.invited ? Math.round((group.completed / group.invited) * 100) : null,
      role: GROUP_ROLE[group.status] ?? group.status,
    })),
  };
}

export interface ReportViewContext {
  clientName: string;
  /** The engagement's focus areas, marked wherever they appear. */
  focus?: Array<{ type: 'competency' | 'item'; refId: string }>;
  /** The All others figures' places in a practice norm the coach chose, by competency and item id. */
  placements?: Record<string, NormPlacement>;
}

/** The whole report page's data. */
export function reportView(model: ReportModel, context: ReportViewContext) {
  const first = firstNameOf(context.clientName);
  const groupColumns: Column[] = model.shownGroupKeys.map((key) => ({ key, label: model.groups.find((group) => group.key === key)?.label ?? key }));
  const columns: Column[] = [{ key: 'self', label: 'Self' }, { key: 'all-others', label: 'All others' }, ...groupColumns];
  const labels = model.settings.scaleLabels;
  const isFocus = (type: 'competency' | 'item', id: string) => (context.focus ?? []).some((focus) => focus.type === type && focus.refId === id);
  const percentile = (id: string) => (context.placements ? placementView(context.placements[id]) : null);
  const competencies = model.competencies.map((competency: CompetencyResult) => ({
    id: competency.id,
    focus: isFocus('competency', competency.id),
    name: competency.name,
    description: competency.description,
    cells: cells(competency),
    gap: formatGap(competency.gap),
    finding: findingBadge(competency.finding),
    agreement: competency.selfOtherAgreement ? AGREEMENT_TEXT[competency.selfOtherAgreement] : null,
    percentile: percentile(competency.id),
    items: competency.items.map((item) => {
      const others = item.allOthers as Figure<ItemFigure>;
      return {
        id: item.id,
        focus: isFocus('item', item.id),
        text: item.text,
        cells: cells(item),
        gap: formatGap(item.gap),
        finding: findingBadge(item.finding),
        disagree: item.agreement?.disagree ?? false,
        rwg: item.agreement ? item.agreement.rwg.toFixed(2) : null,
        sd: !others.withheld && others.sd !== null ? others.sd.toFixed(2) : null,
        distribution: others.withheld ? '' : distributionSvg(others.distribution, labels),
        distributionText: others.withheld ? '' : others.distribution.join(' · '),
        percentile: percentile(item.id),
      };
    }),
  }));

  const datasetColour = (kind: string, index: number) => (kind === 'self' ? SELF_COLOUR : kind === 'all-others' ? OTHERS_COLOUR : GROUP_COLOURS[index % GROUP_COLOURS.length]!);
  const overview = {
    labels: model.charts.competencyOverview.labels,
    datasets: model.charts.competencyOverview.datasets.map((dataset, index) => ({ ...dataset, colour: datasetColour(dataset.kind, index - 2) })),
    min: 1,
    max: model.settings.scalePoints,
  };
  const gapLimit = Math.max(model.settings.tau * 1.5, ...model.charts.gap.data.map((value) => Math.abs(value ?? 0)));
  const gapChart = { ...model.charts.gap, tau: model.settings.tau, limit: Math.ceil(gapLimit * 2) / 2 };
  const merged = model.groups.filter((group) => !group.self && !group.shownOnItsOwn && group.completed > 0);

  return {
    clientName: context.clientName,
    firstName: first,
    ready: model.readiness.ready,
    readiness: model.readiness,
    questionnaireName: model.questionnaire.name,
    settings: {
      ...model.settings,
      tauText: model.settings.tau.toFixed(2),
      strengthCutText: model.settings.strengthCut.toFixed(2),
      midpointText: model.settings.midpoint.toFixed(2),
      uniformVarianceText: model.settings.uniformVariance.toFixed(2),
      scale: labels.map((label, index) => ({ point: index + 1, label, colour: scaleColours(labels.length)[index] })),
    },
    responses: responseSummary(model, first),
    strengths: model.strengths.map((item) => ({ ...item, others: formatMean(item.othersMean), self: formatMean(item.selfMean) })),
    developmentAreas: model.developmentAreas.map((item) => ({ ...item, others: formatMean(item.othersMean), self: formatMean(item.selfMean) })),
    blindSpots: summaryFindings(model.blindSpots, first, true),
    hiddenStrengths: summaryFindings(model.hiddenStrengths, first, false),
    columns,
    competencies,
    overviewRows: competencies.map((competency) => ({ name: competency.name, focus: competency.focus, cells: competency.cells, gap: competency.gap, finding: competency.finding, agreement: competency.agreement, percentile: competency.percentile })),
    /** A column of norm percentiles (the coach chose a norm). */
    normColumn: context.placements !== undefined,
    gapRows: model.charts.gap.labels.map((label, index) => ({
      label,
      gap: formatGap(model.charts.gap.data[index]),
      marker: model.charts.gap.markers[index] === 'none' ? null : findingBadge(model.charts.gap.markers[index]!),
    })),
    charts: { overview, gap: gapChart },
    comments: model.comments.filter((section) => section.blocks.length > 0),
    mergedGroups: merged,
    groupDecisions: model.groups.filter((group) => !group.self).map((group) => group.reason),
    notes: model.notes,
  };
}

export type ReportView = ReturnType<typeof reportView>;
