/**
 * The team report: several leaders of one organisation (or any set) assessed with the same
 * questionnaire, seen as a team. Every number is computed from the leaders' published reports (so
 * raters stay as anonymous as in each report: docs/anonymity.md, rules 3 and 4), each leader
 * weighing the same.
 *
 * Leaders are protected like raters: a leader's own figures appear only when their report was
 * released to them, and a team figure is shown only when the leaders behind it whose reports were
 * not released number 0 or at least k; otherwise the team figure minus the released leaders' rows
 * would give away the others.
 */
import { sampleSd, reaches } from './statistics';
import type { ReportModel } from './types';

export interface TeamLeader {
  id: string;
  name: string;
  /** Their report was released to them: their own figures may appear in the team report. */
  released: boolean;
  report: ReportModel;
}

/** One team figure: the mean of the leaders' figures, each leader once. */
export type TeamFigure =
  | { withheld: false; mean: number; leaders: number; sd: number | null }
  | { withheld: true; cause: TeamWithholding; reason: string };

/** Why a team figure is withheld: no leader has one, or fewer than k unreleased leaders stand behind it. Pages phrase it; `reason` is the English for exports. */
export type TeamWithholding = 'no-figure' | 'few-unreleased';

export interface TeamItem {
  id: string;
  text: string;
  competencyId: string;
  others: TeamFigure;
  self: TeamFigure;
  /** Self minus others of the team; null unless both are shown. */
  gap: number | null;
  /** Each released leader's own All others mean (null where withheld in their report). */
  released: Array<{ leaderId: string; mean: number | null }>;
}

export interface TeamCompetency {
  id: string;
  name: string;
  others: TeamFigure;
  self: TeamFigure;
  gap: number | null;
  released: Array<{ leaderId: string; mean: number | null }>;
  items: TeamItem[];
}

export interface TeamRanked {
  id: string;
  text: string;
  competencyName: string;
  mean: number;
}

export interface TeamReport {
  leaders: Array<{ id: string; name: string; released: boolean }>;
  k: number;
  tau: number;
  competencies: TeamCompetency[];
  /** Items with the highest and lowest team means (up to 5 each, strengths excluded from the second). */
  strengths: TeamRanked[];
  developmentAreas: TeamRanked[];
  /** Items and competencies where the team rates itself at least tau above (below) how others rate it. */
  blindSpots: Array<{ type: 'competency' | 'item'; id: string; label: string; gap: number }>;
  hiddenStrengths: Array<{ type: 'competency' | 'item'; id: string; label: string; gap: number }>;
}

interface Slot {
  withheld: boolean;
  mean?: number | null;
}

type Which = 'allOthers' | 'self';

/** A team figure with the leaders whose figures it averages (for the check across versions, never shown). */
interface FigureWithLeaders {
  figure: TeamFigure;
  leaderIds: string[];
}

/**
 * Each team figure from the leaders' own figures: shown only when the unreleased leaders behind it
 * number 0 or at least k. Shared by the report and its footprint, so both read the same decision.
 */
function teamFigures(leaders: readonly TeamLeader[], k: number) {
  const slotOf = (leader: TeamLeader, competencyId: string, itemId: string | null, which: Which): Slot | undefined => {
    const competency = leader.report.competencies.find((c) => c.id === competencyId);
    const figure = itemId === null ? competency : competency?.items.find((item) => item.id === itemId);
    return figure?.[which];
  };
  const figureOf = (competencyId: string, itemId: string | null, which: Which): FigureWithLeaders => {
    const values = leaders.flatMap((leader) => {
      const slot = slotOf(leader, competencyId, itemId, which);
      return slot && !slot.withheld && typeof slot.mean === 'number' ? [{ leader, value: slot.mean }] : [];
    });
    const hidden = values.filter(({ leader }) => !leader.released).length;
    const leaderIds = values.map(({ leader }) => leader.id);
    if (values.length === 0) return { figure: { withheld: true, cause: 'no-figure', reason: 'no leader has a figure here' }, leaderIds };
    if (hidden > 0 && hidden < k) return { figure: { withheld: true, cause: 'few-unreleased', reason: `fewer than ${k} of these leaders' reports are unreleased, so their figures could be worked out` }, leaderIds };
    const numbers = values.map(({ value }) => value);
    return { figure: { withheld: false, mean: numbers.reduce((a, b) => a + b, 0) / numbers.length, leaders: numbers.length, sd: sampleSd(numbers) }, leaderIds };
  };
  return { slotOf, figureOf };
}

/**
 * The team report of leaders whose reports share a questionnaire (the first leader's gives the
 * structure; items missing from another leader's report count as no figure for them).
 *
 * @example
 * // three leaders, none released, All others means 3, 4 and 5 on item i1
 * buildTeamReport(leaders, { k: 3, tau: 1 }).competencies[0].items[0].others;
 * // { withheld: false, mean: 4, leaders: 3, sd: 1 }
 */
export function buildTeamReport(leaders: readonly TeamLeader[], options: { k: number; tau: number }): TeamReport {
  const { k, tau } = options;
  const structure = leaders[0]?.report.competencies ?? [];
  const { slotOf, figureOf } = teamFigures(leaders, k);
  const releasedRows = (competencyId: string, itemId: string | null) =>
    leaders.filter((leader) => leader.released).map((leader) => {
      const slot = slotOf(leader, competencyId, itemId, 'allOthers');
      return { leaderId: leader.id, mean: slot && !slot.withheld && typeof slot.mean === 'number' ? slot.mean : null };
    });
  const gapOf = (self: TeamFigure, others: TeamFigure) => (self.withheld || others.withheld ? null : self.mean - others.mean);
  const figures = (competencyId: string, itemId: string | null) => {
    const others = figureOf(competencyId, itemId, 'allOthers').figure;
    const self = figureOf(competencyId, itemId, 'self').figure;
    return { others, self, gap: gapOf(self, others), released: releasedRows(competencyId, itemId) };
  };
  const competencies: TeamCompetency[] = structure.map((competency) => ({
    id: competency.id,
    name: competency.name,
    ...figures(competency.id, null),
    items: competency.items.map((item) => ({ id: item.id, text: item.text, competencyId: competency.id, ...figures(competency.id, item.id) })),
  }));
  const ranked = competencies.flatMap((competency) =>
    competency.items.flatMap((item, index) => (item.others.withheld ? [] : [{ id: item.id, text: item.text, competencyName: competency.name, mean: item.others.mean, order: index }])),
  );
  const byMean = (direction: 1 | -1) => [...ranked].sort((a, b) => direction * (a.mean - b.mean));
  const strengths = byMean(-1).slice(0, 5).map(({ order: _order, ...rest }) => rest);
  const developmentAreas = byMean(1).filter((item) => !strengths.some((s) => s.id === item.id)).slice(0, 5).map(({ order: _order, ...rest }) => rest);
  const gaps = [
    ...competencies.map((c) => ({ type: 'competency' as const, id: c.id, label: c.name, gap: c.gap })),
    ...competencies.flatMap((c) => c.items.map((item) => ({ type: 'item' as const, id: item.id, label: item.text, gap: item.gap }))),
  ].filter((entry): entry is { type: 'competency' | 'item'; id: string; label: string; gap: number } => entry.gap !== null);
  return {
    leaders: leaders.map((leader) => ({ id: leader.id, name: leader.name, released: leader.released })),
    k,
    tau,
    competencies,
    strengths,
    developmentAreas,
    blindSpots: gaps.filter((entry) => reaches(entry.gap, tau)).sort((a, b) => b.gap - a.gap),
    hiddenStrengths: gaps.filter((entry) => reaches(-entry.gap, tau)).sort((a, b) => a.gap - b.gap),
  };
}

/** The subject a team figure is known by across team reports and norms: the id for All others (as in a norm), `self:` the id for self. */
export function teamSubject(id: string, which: Which): string {
  return which === 'self' ? `self:${id}` : id;
}

/**
 * Which leaders stand behind every figure a team report shows, by subject (`teamSubject`): what
 * someone who keeps every team report learns equations over. Withheld figures have no entry.
 *
 * @example
 * // Ada, Ben and Cleo all have a figure on i1, none released: the team's i1 rests on the three
 * teamFootprint(leaders, 3).i1; // ['ada', 'ben', 'cleo']
 */
export function teamFootprint(leaders: readonly TeamLeader[], k: number): Record<string, string[]> {
  const { figureOf } = teamFigures(leaders, k);
  const footprint: Record<string, string[]> = {};
  for (const competency of leaders[0]?.report.competencies ?? []) {
    for (const [id, itemId] of [[competency.id, null] as const, ...competency.items.map((item) => [item.id, item.id] as const)]) {
      for (const which of ['allOthers', 'self'] as const) {
        const { figure, leaderIds } = figureOf(competency.id, itemId, which);
        if (!figure.withheld) footprint[teamSubject(id, which)] = [...leaderIds].sort();
      }
    }
  }
  return footprint;
}
