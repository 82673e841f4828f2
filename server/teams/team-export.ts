import type { TeamFigure } from '../../reports/index';
import { csvOf, type Cell } from '../reports/report-csv';
import type { TeamReportResult } from './teams.service';

/**
 * The team report as CSV: one row per competency and item with the team's figures (each leader
 * weighing the same), the spread between leaders and the finding, and one column per leader whose
 * report was released to them. A withheld team figure has empty cells and its reason in `note`;
 * unreleased leaders have no column: the export reads the same engine output as the page.
 */
export function teamCsv(result: TeamReportResult): string {
  const report = result.report;
  const released = result.leaders.filter((leader) => leader.released);
  const header = ['level', 'competency', 'item', 'team_mean', 'leaders', 'spread_sd', 'team_self_mean', 'gap', 'finding', 'note', ...released.map((leader) => `released: ${leader.clientName}`)];
  const figure = (value: TeamFigure): Cell[] => (value.withheld ? [null, null, null] : [value.mean, value.leaders, value.sd]);
  const finding = (type: 'competency' | 'item', id: string) =>
    report?.blindSpots.some((entry) => entry.type === type && entry.id === id) ? 'blind-spot' : report?.hiddenStrengths.some((entry) => entry.type === type && entry.id === id) ? 'hidden-strength' : '';
  const rows: Cell[][] = [];
  for (const competency of report?.competencies ?? []) {
    const entries = [{ level: 'competency' as const, item: '', entry: competency }, ...competency.items.map((item) => ({ level: 'item' as const, item: item.text, entry: item }))];
    for (const { level, item, entry } of entries) {
      const notes = [entry.others, entry.self].flatMap((value) => (value.withheld ? [value.reason] : []));
      rows.push([
        level,
        competency.name,
        item,
        ...figure(entry.others),
        entry.self.withheld ? null : entry.self.mean,
        entry.gap,
        finding(level, entry.id),
        [...new Set(notes)].join('; '),
        ...released.map((leader) => entry.released.find((row) => row.leaderId === leader.engagementId)?.mean ?? null),
      ]);
    }
  }
  return csvOf(header, rows);
}

/** The team report as JSON (the download and the API): the team, its leaders, and the engine's team report. */
export function teamJson(result: TeamReportResult) {
  return {
    team: { id: result.team.id, name: result.team.name, questionnaireVersion: result.team.questionnaireVersion, questionnaireName: result.team.questionnaireName },
    k: result.k,
    leaders: result.leaders.map((leader) => ({ engagementId: leader.engagementId, name: leader.clientName, organisation: leader.organisation, roundId: leader.roundId, version: leader.version, released: leader.released })),
    notIncluded: result.notIncluded.map((member) => ({ engagementId: member.engagementId, name: member.clientName, reason: 'no closed baseline with a published report on this questionnaire version' })),
    report: result.report,
  };
}
