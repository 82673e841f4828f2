/**
 * What the figures mean for the client: gaps, blind spots and hidden strengths, self-other
 * agreement, rater agreement, strengths and development areas (docs/report-definitions.md). Every threshold is
 * inclusive ("exactly tau counts") and compared with a small tolerance, so floating-point error
 * never decides a finding.
 */
import { nearlyEqual, reaches, rwg } from './statistics';
import type {
  AgreementCategory,
  CompetencyResult,
  Figure,
  FigureBase,
  Finding,
  GapFinding,
  ItemResult,
  RaterAgreement,
  RankedItem,
  ReportSettings,
} from './types';

/** How many items the strengths and development areas lists hold. */
export const RANKED_ITEMS = 5;

/**
 * Self mean minus All others mean; null unless both are shown with a mean.
 *
 * @example
 * gapOf(selfFigureWithMean(4.5), othersFigureWithMean(3.5)); // 1
 * gapOf(selfFigureWithMean(4.5), { withheld: true, reason: '...' }); // null
 */
export function gapOf(self: FigureBase, others: Figure<FigureBase>): number | null {
  if (others.withheld || self.mean === null || others.mean === null) return null;
  return self.mean - others.mean;
}

/**
 * Blind spot when self - others >= tau, hidden strength when others - self >= tau.
 *
 * @example
 * findingOf(1, 1);    // 'blind-spot' (exactly tau counts)
 * findingOf(-1.2, 1); // 'hidden-strength'
 * findingOf(0.99, 1); // null
 */
export function findingOf(gap: number | null, tau: number): Finding | null {
  if (gap === null) return null;
  if (reaches(gap, tau)) return 'blind-spot';
  if (reaches(-gap, tau)) return 'hidden-strength';
  return null;
}

/**
 * The self-other agreement category of a competency; null when self or others is missing.
 *
 * @example
 * // 5-point scale: tau 1, strength cut 4, midpoint 3
 * selfOtherAgreement(0.5, 4.2, settings); // 'in-agreement-high'
 * selfOtherAgreement(0.5, 2.5, settings); // 'in-agreement-low'
 * selfOtherAgreement(1, 3, settings);     // 'over-rater'
 */
export function selfOtherAgreement(
  gap: number | null,
  othersMean: number | null,
  settings: Pick<ReportSettings, 'tau' | 'strengthCut' | 'midpoint'>,
): AgreementCategory | null {
  if (gap === null || othersMean === null) return null;
  const finding = findingOf(gap, settings.tau);
  if (finding === 'blind-spot') return 'over-rater';
  if (finding === 'hidden-strength') return 'under-rater';
  if (reaches(othersMean, settings.strengthCut)) return 'in-agreement-high';
  if (!reaches(othersMean, settings.midpoint)) return 'in-agreement-low';
  return 'in-agreement';
}

/**
 * Rater agreement of a shown All others figure with at least 3 answers: sd and r_wg, flagged
 * `disagree` below 0.5.
 *
 * @example
 * raterAgreement({ withheld: false, n: 3, nNA: 0, mean: 4, sd: 1 }, 5); // { sd: 1, rwg: 0.5, disagree: false }
 */
export function raterAgreement(others: Figure, points: number): RaterAgreement | null {
  if (others.withheld || others.n < 3 || others.sd === null) return null;
  const agreement = rwg(others.sd ** 2, points);
  return { sd: others.sd, rwg: agreement, disagree: !reaches(agreement, 0.5) };
}

/**
 * The items with the highest All others mean. Ties: higher self-minus-others gap first, items
 * without a gap after those with one, then questionnaire order.
 *
 * @example
 * rankStrengths(report.competencies).map((s) => s.itemId); // e.g. ['i3', 'i1', 'i7', 'i2', 'i5']
 */
export function rankStrengths(competencies: readonly CompetencyResult[], limit = RANKED_ITEMS): RankedItem[] {
  return rankItems(rankableItems(competencies), 'highest', limit);
}

/**
 * The items with the lowest All others mean, leaving out the strengths so that a short
 * questionnaire splits its items between the lists instead of listing one twice. Ties: lower gap
 * first, items without a gap last, then questionnaire order.
 *
 * @example
 * rankDevelopmentAreas(report.competencies, strengths).map((d) => d.itemId); // e.g. ['i4', 'i6']
 */
export function rankDevelopmentAreas(
  competencies: readonly CompetencyResult[],
  strengths: readonly RankedItem[],
  limit = RANKED_ITEMS,
): RankedItem[] {
  const remaining = rankableItems(competencies).filter((c) => !strengths.some((s) => s.itemId === c.item.id));
  return rankItems(remaining, 'lowest', limit);
}

/**
 * Blind spots and hidden strengths: competencies first, then items; each by the size of the gap,
 * then questionnaire order.
 *
 * @example
 * gapFindings(report.competencies).blindSpots[0]; // { type: 'competency', id: 'c2', gap: 1.25, ... }
 */
export function gapFindings(competencies: readonly CompetencyResult[]): {
  blindSpots: GapFinding[];
  hiddenStrengths: GapFinding[];
} {
  const candidates = [
    ...competencies.flatMap((c) => findingEntry('competency', c.id, c.name, c.id, c)),
    ...competencies.flatMap((c) => c.items.flatMap((item) => findingEntry('item', item.id, item.text, c.id, item))),
  ];
  // Candidates are in questionnaire order and Array.prototype.sort is stable, so equal gaps keep it.
  const listOf = (finding: Finding) =>
    candidates
      .filter((candidate) => candidate.finding === finding)
      .map((candidate) => candidate.entry)
      .sort((a, b) => typeOrder(a) - typeOrder(b) || compareNumbers(Math.abs(a.gap), Math.abs(b.gap), -1));
  return { blindSpots: listOf('blind-spot'), hiddenStrengths: listOf('hidden-strength') };
}

interface Rankable {
  item: ItemResult;
  competency: CompetencyResult;
  othersMean: number;
  index: number;
}

function rankableItems(competencies: readonly CompetencyResult[]): Rankable[] {
  const items = competencies.flatMap((competency) => competency.items.map((item) => ({ item, competency })));
  return items.flatMap(({ item, competency }, index) =>
    item.allOthers.withheld || item.allOthers.mean === null ? [] : [{ item, competency, othersMean: item.allOthers.mean, index }],
  );
}

function rankItems(candidates: readonly Rankable[], end: 'highest' | 'lowest', limit: number): RankedItem[] {
  // For 'highest' both the mean and the gap sort descending; for 'lowest' both ascending.
  const direction = end === 'highest' ? -1 : 1;
  return [...candidates]
    .sort(
      (a, b) =>
        compareNumbers(a.othersMean, b.othersMean, direction) ||
        compareGaps(a.item.gap, b.item.gap, direction) ||
        a.index - b.index,
    )
    .slice(0, limit)
    .map((candidate, position) => rankedItem(candidate, position + 1));
}

function rankedItem({ item, competency, othersMean }: Rankable, rank: number): RankedItem {
  return {
    rank,
    itemId: item.id,
    itemText: item.text,
    competencyId: competency.id,
    competencyName: competency.name,
    othersMean,
    selfMean: item.self.mean,
    gap: item.gap,
  };
}

/** Ascending for direction 1, descending for -1; ties within tolerance are 0. */
function compareNumbers(a: number, b: number, direction: 1 | -1): number {
  if (nearlyEqual(a, b)) return 0;
  return a < b ? -direction : direction;
}

/** Like compareNumbers, but a missing gap always sorts after a present one. */
function compareGaps(a: number | null, b: number | null, direction: 1 | -1): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return compareNumbers(a, b, direction);
}

function findingEntry(
  type: GapFinding['type'],
  id: string,
  label: string,
  competencyId: string,
  result: { self: FigureBase; allOthers: Figure<FigureBase>; gap: number | null; finding: Finding | null },
): Array<{ finding: Finding; entry: GapFinding }> {
  const { self, allOthers, gap, finding } = result;
  if (finding === null || gap === null || self.mean === null || allOthers.withheld || allOthers.mean === null) return [];
  return [{ finding, entry: { type, id, label, competencyId, selfMean: self.mean, othersMean: allOthers.mean, gap } }];
}

function typeOrder(finding: GapFinding): number {
  return finding.type === 'competency' ? 0 : 1;
}
