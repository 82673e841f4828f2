import type {
  AgreementCategory,
  CommentSection,
  CompetencyResult,
  Figure,
  FigureBase,
  FigureSlots,
  GapFinding,
  GroupSummary,
  ItemFigure,
  RankedItem,
  ReportModel,
  WithheldFigure,
} from '../../reports/types';
import type { NormPlacement } from '../../reports/index';
import type { Translator } from '../i18n/translator';
import { placementView } from '../norms/norm-view';
import { groupLabel } from './report-language';

/**
 * Turns a report model into what the report page shows: formatted numbers, sentences, table rows,
 * small SVG bars and chart data. Presentation only: every number comes from the engine's model.
 */

const SELF_COLOUR = '#b45309';
const OTHERS_COLOUR = '#1d5b86';
const GROUP_COLOURS = ['#0f766e', '#7c3aed', '#64748b', '#be185d', '#4d7c0f'];
// ColorBrewer RdBu, colour-blind safe: disagreement in red, agreement in blue.
const DIVERGING = ['#b2182b', '#ef8a62', '#fddbc7', '#d1e5f0', '#67a9cf', '#2166ac'];

/** Writes a number with `digits` decimals; English by default, a Translator's `number` for another language. */
export type NumberFormat = (value: number, digits: number) => string;

const englishNumber: NumberFormat = (value, digits) => value.toFixed(digits);

export function formatMean(value: number | null | undefined, format: NumberFormat = englishNumber): string {
  return typeof value === 'number' && Number.isFinite(value) ? format(value, 2) : '–';
}

export function formatGap(value: number | null | undefined, format: NumberFormat = englishNumber): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '–';
  const text = format(Math.abs(value), 2);
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

/** Why a figure is not shown, in the reader's language; the engine's English for a report frozen before causes. */
export function withheldReason(figure: WithheldFigure, k: number, translator: Translator): string {
  return figure.cause ? translator.t(`report.withheld.${figure.cause}`, { k }) : figure.reason;
}

/** The summary keeps to the first few findings; the rest are marked in the details. */
const SUMMARY_FINDINGS = 3;

function firstNameOf(name: string): string {
  return name.trim().split(/\s+/)[0] ?? name;
}

/** Phrases the report model's figures in one language: numbers, badges, sentences, rater groups. */
function phrasing(model: ReportModel, first: string, translator: Translator) {
  const { t } = translator;
  const number: NumberFormat = (value, digits) => translator.number(value, digits);
  const mean = (value: number | null | undefined) => formatMean(value, number);
  const gap = (value: number | null | undefined) => formatGap(value, number);
  const cell = (label: string, figure: Figure<FigureBase>): Cell =>
    figure.withheld ? { label, text: '–', n: null, withheld: true, reason: withheldReason(figure, model.settings.k, translator) } : { label, text: mean(figure.mean), n: figure.n, withheld: false, reason: null };
  return {
    mean,
    gap,
    number,
    // The self figure is one person by definition: its count says nothing.
    cells: (slots: FigureSlots<FigureBase>): Cell[] => [
      { ...cell(t('report.column.self'), slots.self), n: null },
      cell(t('report.column.allOthers'), slots.allOthers),
      ...slots.groups.map((group) => cell(groupLabel(group.groupKey, group.label, translator), group.figure)),
    ],
    badge: (finding: string | null): { label: string; kind: string } | null => {
      if (finding === 'blind-spot') return { label: t('report.finding.blindSpot'), kind: 'warn' };
      if (finding === 'hidden-strength') return { label: t('report.finding.hiddenStrength'), kind: 'ok' };
      return null;
    },
    agreement: (category: AgreementCategory | null) => (category ? t(`report.agreement.${category}`) : null),
    findings: (findings: GapFinding[], blindSpot: boolean) => ({
      sentences: findings.slice(0, SUMMARY_FINDINGS).map((finding) =>
        t(blindSpot ? 'report.finding.blindSpotSentence' : 'report.finding.hiddenStrengthSentence', {
          type: finding.type,
          label: finding.label.replace(/[.!?]+$/, ''),
          name: first,
          self: mean(finding.selfMean),
          others: mean(finding.othersMean),
          points: number(Math.abs(finding.gap), 2),
        }),
      ),
      more: Math.max(0, findings.length - SUMMARY_FINDINGS),
    }),
    groupReason: (group: GroupSummary) =>
      t('report.group.reason', { status: group.status.replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase()), label: groupLabel(group.key, group.label, translator), count: group.completed, minimum: group.effectiveMinimum, anonymous: String(group.anonymous), selfDone: String(group.completed > 0) }),
  };
}

function responseSummary(model: ReportModel, first: string, translator: Translator, phrase: ReturnType<typeof phrasing>) {
  const others = model.groups.filter((group) => !group.self);
  const invited = others.reduce((sum, group) => sum + group.invited, 0);
  const completed = others.reduce((sum, group) => sum + group.completed, 0);
  const self = model.groups.find((group) => group.self);
  const rate = invited ? Math.round((completed / invited) * 100) : 0;
  return {
    sentence: translator.t('report.responses.sentence', { completed, invited, rate, name: first, selfDone: String(Boolean(self && self.completed > 0)) }),
    rows: model.groups.map((group) => ({
      ...group,
      label: groupLabel(group.key, group.label, translator),
      rate: group.invited ? Math.round((group.completed / group.invited) * 100) : null,
      role: translator.t(`report.group.role.${group.status}`),
    })),
    decisions: others.map(phrase.groupReason),
  };
}

export interface ReportViewContext {
  clientName: string;
  /** The language the page is read in: the client's for a release, the coach's on their own report page. */
  translator: Translator;
  /** The engagement's focus areas, marked wherever they appear. */
  focus?: Array<{ type: 'competency' | 'item'; refId: string }>;
  /** The All others figures' places in a practice norm the coach chose, by competency and item id. */
  placements?: Record<string, NormPlacement>;
}

/**
 * Comments as written, under their question (or a pulse's focus area) in the page's language; the
 * source of each block and why one is withheld in that language; never marked with a language.
 */
export function commentsView(sections: CommentSection[], k: number, translator: Translator) {
  return sections
    .filter((section) => section.blocks.length > 0)
    .map((section) => ({
      ...section,
      blocks: section.blocks.map((block) => ({
        ...block,
        label: block.source === 'self' ? translator.t('report.column.self') : groupLabel(block.groupKey, block.label, translator),
        reason: block.withheld ? (block.moreResponsesNeeded !== undefined ? translator.t('report.comments.withheld', { k, needed: block.moreResponsesNeeded }) : block.reason) : null,
      })),
    }));
}

/** The whole report page's data (the model's questionnaire texts already in the page's language: reportInLanguage). */
export function reportView(model: ReportModel, context: ReportViewContext) {
  const { translator } = context;
  const first = firstNameOf(context.clientName);
  const phrase = phrasing(model, first, translator);
  const groupColumns: Column[] = model.shownGroupKeys.map((key) => ({ key, label: groupLabel(key, model.groups.find((group) => group.key === key)?.label ?? key, translator) }));
  const columns: Column[] = [{ key: 'self', label: translator.t('report.column.self') }, { key: 'all-others', label: translator.t('report.column.allOthers') }, ...groupColumns];
  const labels = model.settings.scaleLabels;
  const isFocus = (type: 'competency' | 'item', id: string) => (context.focus ?? []).some((focus) => focus.type === type && focus.refId === id);
  const percentile = (id: string) => (context.placements ? placementView(context.placements[id]) : null);
  const competencies = model.competencies.map((competency: CompetencyResult) => ({
    id: competency.id,
    focus: isFocus('competency', competency.id),
    name: competency.name,
    description: competency.description,
    cells: phrase.cells(competency),
    gap: phrase.gap(competency.gap),
    finding: phrase.badge(competency.finding),
    agreement: phrase.agreement(competency.selfOtherAgreement),
    percentile: percentile(competency.id),
    items: competency.items.map((item) => {
      const others = item.allOthers as Figure<ItemFigure>;
      return {
        id: item.id,
        focus: isFocus('item', item.id),
        text: item.text,
        cells: phrase.cells(item),
        gap: phrase.gap(item.gap),
        finding: phrase.badge(item.finding),
        disagree: item.agreement?.disagree ?? false,
        rwg: item.agreement ? phrase.number(item.agreement.rwg, 2) : null,
        sd: !others.withheld && others.sd !== null ? phrase.number(others.sd, 2) : null,
        distribution: others.withheld ? '' : distributionSvg(others.distribution, labels),
        distributionText: others.withheld ? '' : others.distribution.join(' · '),
        percentile: percentile(item.id),
      };
    }),
  }));

  const datasetColour = (kind: string, index: number) => (kind === 'self' ? SELF_COLOUR : kind === 'all-others' ? OTHERS_COLOUR : GROUP_COLOURS[index % GROUP_COLOURS.length]!);
  const overview = {
    labels: model.charts.competencyOverview.labels,
    datasets: model.charts.competencyOverview.datasets.map((dataset, index) => ({
      ...dataset,
      label: dataset.kind === 'self' ? translator.t('report.column.self') : groupLabel(dataset.groupKey, dataset.label, translator),
      colour: datasetColour(dataset.kind, index - 2),
    })),
    min: 1,
    max: model.settings.scalePoints,
  };
  const gapLimit = Math.max(model.settings.tau * 1.5, ...model.charts.gap.data.map((value) => Math.abs(value ?? 0)));
  const gapChart = { ...model.charts.gap, tau: model.settings.tau, limit: Math.ceil(gapLimit * 2) / 2 };
  const merged = model.groups.filter((group) => !group.self && !group.shownOnItsOwn && group.completed > 0).map((group) => ({ ...group, label: groupLabel(group.key, group.label, translator) }));
  const responses = responseSummary(model, first, translator, phrase);
  const ranked = (item: RankedItem) => ({ ...item, others: phrase.mean(item.othersMean), self: phrase.mean(item.selfMean) });

  return {
    clientName: context.clientName,
    firstName: first,
    ready: model.readiness.ready,
    readiness: model.readiness,
    questionnaireName: model.questionnaire.name,
    settings: {
      ...model.settings,
      tauText: phrase.number(model.settings.tau, 2),
      strengthCutText: phrase.number(model.settings.strengthCut, 2),
      midpointText: phrase.number(model.settings.midpoint, 2),
      uniformVarianceText: phrase.number(model.settings.uniformVariance, 2),
      scale: labels.map((label, index) => ({ point: index + 1, label, colour: scaleColours(labels.length)[index] })),
    },
    responses,
    strengths: model.strengths.map(ranked),
    developmentAreas: model.developmentAreas.map(ranked),
    blindSpots: phrase.findings(model.blindSpots, true),
    hiddenStrengths: phrase.findings(model.hiddenStrengths, false),
    columns,
    competencies,
    overviewRows: competencies.map((competency) => ({ name: competency.name, focus: competency.focus, cells: competency.cells, gap: competency.gap, finding: competency.finding, agreement: competency.agreement, percentile: competency.percentile })),
    /** A column of norm percentiles (the coach chose a norm). */
    normColumn: context.placements !== undefined,
    gapRows: model.charts.gap.labels.map((label, index) => ({
      label,
      gap: phrase.gap(model.charts.gap.data[index]),
      marker: model.charts.gap.markers[index] === 'none' ? null : phrase.badge(model.charts.gap.markers[index]!),
    })),
    charts: { overview, gap: gapChart },
    comments: commentsView(model.comments, model.settings.k, translator),
    mergedGroups: merged,
    groupDecisions: responses.decisions,
    notes: model.notes,
  };
}

export type ReportView = ReturnType<typeof reportView>;
