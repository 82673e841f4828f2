/**
 * Competency figures, derived from item figures (docs/anonymity.md, rule 4; docs/report-definitions.md).
 *
 * A rater-weighted mean of raters' competency scores gives each rater the weight 1/(items they
 * answered) on every answer, while an item mean gives every answer the same weight. With "not able
 * to rate" on one item, the competency mean and the item sums together isolate that one rater's
 * total. So a competency figure here is the plain mean of the item means that are shown for the
 * same set of raters: a fixed combination of numbers already on the page, which cannot add what
 * they hide. It is shown when at least half of the competency's items have a figure for that set
 * (the half-of-items rule of a rater's score, applied to the figures).
 */
import { withheld } from './aggregation';
import type { RoundGroups } from './round-groups';
import type { CompetencyFigure, Figure, FigureBase, FigureSlots, ItemResult } from './types';

/**
 * Self, All others and each shown group of one competency, from the same slots of its items.
 *
 * @example
 * // items with All others means 4 and 3.5 (n 5 and 4): All others of the competency
 * competencyFigures(items, round).allOthers; // { withheld: false, n: 5, mean: 3.75, itemsAveraged: 2, itemCount: 2 }
 */
export function competencyFigures(items: readonly ItemResult[], round: RoundGroups): FigureSlots<CompetencyFigure> {
  const selfFigure = averageOfItems(items.map((item) => item.self));
  return {
    self: selfFigure.withheld ? { withheld: false, n: 0, mean: null, itemsAveraged: 0, itemCount: items.length } : selfFigure,
    allOthers: averageOfItems(items.map((item) => item.allOthers)),
    groups: round.shown.map((group) => ({
      groupKey: group.key,
      label: group.label,
      figure: averageOfItems(items.map((item) => item.groups.find((slot) => slot.groupKey === group.key)!.figure)),
    })),
  };
}

/**
 * The mean of the shown item means, or withheld when fewer than half of the items have one.
 *
 * @example
 * averageOfItems([{ withheld: false, n: 3, mean: 4, ... }, { withheld: true, reason: '...' }]);
 * // { withheld: false, n: 3, mean: 4, itemsAveraged: 1, itemCount: 2 }  (1 of 2 is half)
 */
export function averageOfItems(figures: ReadonlyArray<Figure<FigureBase>>): Figure<CompetencyFigure> {
  const means = figures.flatMap((figure) => (figure.withheld || figure.mean === null ? [] : [{ mean: figure.mean, n: figure.n }]));
  if (means.length === 0 || means.length * 2 < figures.length) {
    return withheld('fewer than half of its items have a figure for these raters', 'half-items');
  }
  return {
    withheld: false,
    n: Math.max(...means.map((entry) => entry.n)),
    mean: means.reduce((total, entry) => total + entry.mean, 0) / means.length,
    itemsAveraged: means.length,
    itemCount: figures.length,
  };
}
