import type { TeamFigure } from '../../reports/index';
import type { Translator } from '../i18n/translator';
import { formatGap, formatMean } from '../reports/report-view';
import { shortVersion } from '../norms/questionnaire-version';
import { refusalWords, type TeamRefusal, type TeamReportResult } from './teams.service';

/**
 * What the team report page shows, in the coach's language: formatted numbers, table rows and
 * chart data. Presentation only: every number comes from the engine's team report, which holds no
 * unreleased leader's figure.
 */

const OTHERS_COLOUR = '#1d5b86';
const SELF_COLOUR = '#b45309';

/** Why a team report or a change of members was refused, in the coach's language. */
export function refusalText(t: Translator, refusal: TeamRefusal): string {
  return refusalWords(refusal, (key, values) => t.t(key, values));
}

export function teamView(result: TeamReportResult, t: Translator) {
  const { team, report } = result;
  const mean = (value: number | null | undefined) => formatMean(value, t.number);
  const gapText = (value: number | null | undefined) => formatGap(value, t.number);
  const cell = (label: string, figure: TeamFigure) => {
    if (!figure.withheld) return { label, text: mean(figure.mean), leaders: figure.leaders, withheld: false, reason: null };
    const reason = figure.cause === 'no-figure' ? t.t('teams.withheld.noFigure') : t.t('teams.withheld.fewUnreleased', { k: result.k });
    return { label, text: '–', leaders: null, withheld: true, reason };
  };
  const findingOf = (type: 'competency' | 'item', id: string) => {
    if (report?.blindSpots.some((entry) => entry.type === type && entry.id === id)) return { label: t.t('report.finding.blindSpot'), kind: 'warn' };
    if (report?.hiddenStrengths.some((entry) => entry.type === type && entry.id === id)) return { label: t.t('report.finding.hiddenStrength'), kind: 'ok' };
    return null;
  };
  const releasedLeaders = result.leaders.filter((leader) => leader.released);
  const own = (rows: Array<{ leaderId: string; mean: number | null }>) =>
    releasedLeaders.map((leader) => ({ label: leader.clientName, text: mean(rows.find((row) => row.leaderId === leader.engagementId)?.mean) }));
  const rowOf = (type: 'competency' | 'item', entry: { id: string; others: TeamFigure; self: TeamFigure; gap: number | null; released: Array<{ leaderId: string; mean: number | null }> }) => ({
    others: cell(t.t('teams.column.team'), entry.others),
    self: cell(t.t('teams.column.self'), entry.self),
    spread: !entry.others.withheld && entry.others.sd !== null ? t.number(entry.others.sd) : '–',
    gap: gapText(entry.gap),
    finding: findingOf(type, entry.id),
    released: own(entry.released),
  });
  const competencies = (report?.competencies ?? []).map((competency) => ({
    id: competency.id,
    name: competency.name,
    ...rowOf('competency', competency),
    items: competency.items.map((item) => ({ id: item.id, text: item.text, ...rowOf('item', item) })),
  }));
  const finding = (key: 'blind' | 'hidden', entry: { type: 'competency' | 'item'; label: string; gap: number }) =>
    t.t(`teams.report.${key}${entry.type === 'competency' ? 'Competency' : 'Item'}`, { label: entry.label.replace(/[.!?]+$/, ''), points: t.number(Math.abs(entry.gap)) });
  return {
    team: { ...team, versionCode: shortVersion(team.questionnaireVersion) },
    leaders: result.leaders,
    releasedLeaders,
    notIncluded: result.notIncluded,
    notIncludedNames: result.notIncluded.map((member) => member.clientName).join(', '),
    k: result.k,
    ready: report !== null,
    refused: result.refused ? refusalText(t, result.refused) : null,
    tauText: report ? t.number(report.tau) : '',
    scalePoints: result.scalePoints,
    competencies,
    strengths: (report?.strengths ?? []).map((item) => ({ ...item, meanText: mean(item.mean) })),
    developmentAreas: (report?.developmentAreas ?? []).map((item) => ({ ...item, meanText: mean(item.mean) })),
    blindSpots: (report?.blindSpots ?? []).map((entry) => finding('blind', entry)),
    hiddenStrengths: (report?.hiddenStrengths ?? []).map((entry) => finding('hidden', entry)),
    chart: {
      labels: competencies.map((competency) => competency.name),
      datasets: [
        { label: t.t('teams.chart.others'), kind: 'all-others', colour: OTHERS_COLOUR, data: (report?.competencies ?? []).map((competency) => (competency.others.withheld ? null : competency.others.mean)) },
        { label: t.t('teams.chart.self'), kind: 'self', colour: SELF_COLOUR, data: (report?.competencies ?? []).map((competency) => (competency.self.withheld ? null : competency.self.mean)) },
      ],
      min: 1,
      max: result.scalePoints,
    },
  };
}
