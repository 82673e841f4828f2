import type { TeamFigure, TeamReport } from '../../reports/index';
import { formatGap, formatMean } from '../reports/report-view';
import { shortVersion } from '../norms/questionnaire-version';
import type { TeamReportResult } from './teams.service';

/**
 * What the team report page shows: formatted numbers, table rows and chart data. Presentation only:
 * every number comes from the engine's team report, which holds no unreleased leader's figure.
 */

const OTHERS_COLOUR = '#1d5b86';
const SELF_COLOUR = '#b45309';

function cell(label: string, figure: TeamFigure) {
  if (figure.withheld) return { label, text: '–', leaders: null, withheld: true, reason: figure.reason };
  return { label, text: formatMean(figure.mean), leaders: figure.leaders, withheld: false, reason: null };
}

function spread(figure: TeamFigure): string {
  return !figure.withheld && figure.sd !== null ? figure.sd.toFixed(2) : '–';
}

function findingOf(report: TeamReport, type: 'competency' | 'item', id: string) {
  if (report.blindSpots.some((entry) => entry.type === type && entry.id === id)) return { label: 'Blind spot', kind: 'warn' };
  if (report.hiddenStrengths.some((entry) => entry.type === type && entry.id === id)) return { label: 'Hidden strength', kind: 'ok' };
  return null;
}

export function teamView(result: TeamReportResult) {
  const { team, report } = result;
  const releasedLeaders = result.leaders.filter((leader) => leader.released);
  const own = (rows: Array<{ leaderId: string; mean: number | null }>) =>
    releasedLeaders.map((leader) => ({ label: leader.clientName, text: formatMean(rows.find((row) => row.leaderId === leader.engagementId)?.mean) }));
  const rowOf = (type: 'competency' | 'item', entry: { id: string; others: TeamFigure; self: TeamFigure; gap: number | null; released: Array<{ leaderId: string; mean: number | null }> }) => ({
    others: cell('Team', entry.others),
    self: cell('Self', entry.self),
    spread: spread(entry.others),
    gap: formatGap(entry.gap),
    finding: report ? findingOf(report, type, entry.id) : null,
    released: own(entry.released),
  });
  const competencies = (report?.competencies ?? []).map((competency) => ({
    id: competency.id,
    name: competency.name,
    ...rowOf('competency', competency),
    items: competency.items.map((item) => ({ id: item.id, text: item.text, ...rowOf('item', item) })),
  }));
  const what = (entry: { type: 'competency' | 'item'; label: string }) => {
    const label = entry.label.replace(/[.!?]+$/, '');
    return entry.type === 'competency' ? `the competency “${label}”` : `“${label}”`;
  };
  const points = (gap: number) => formatGap(Math.abs(gap)).replace('+', '');
  return {
    team: { ...team, versionCode: shortVersion(team.questionnaireVersion) },
    leaders: result.leaders,
    releasedLeaders,
    notIncluded: result.notIncluded,
    k: result.k,
    ready: report !== null,
    refused: result.refused,
    tauText: report ? report.tau.toFixed(2) : '',
    scalePoints: result.scalePoints,
    competencies,
    strengths: (report?.strengths ?? []).map((item) => ({ ...item, meanText: formatMean(item.mean) })),
    developmentAreas: (report?.developmentAreas ?? []).map((item) => ({ ...item, meanText: formatMean(item.mean) })),
    blindSpots: (report?.blindSpots ?? []).map((entry) => `On ${what(entry)}, the team rates itself ${points(entry.gap)} points higher than others rate it.`),
    hiddenStrengths: (report?.hiddenStrengths ?? []).map((entry) => `On ${what(entry)}, others rate the team ${points(entry.gap)} points higher than it rates itself.`),
    chart: {
      labels: competencies.map((competency) => competency.name),
      datasets: [
        { label: 'Team, all others', kind: 'all-others', colour: OTHERS_COLOUR, data: (report?.competencies ?? []).map((competency) => (competency.others.withheld ? null : competency.others.mean)) },
        { label: 'Team, self', kind: 'self', colour: SELF_COLOUR, data: (report?.competencies ?? []).map((competency) => (competency.self.withheld ? null : competency.self.mean)) },
      ],
      min: 1,
      max: result.scalePoints,
    },
  };
}
