/**
 * The one place where rater values become figures: self, All others and each column group of one
 * item, competency or pulse focus area, under the anonymity rule. Items, competencies, pulses and
 * (through their figures) change reports all go through `aggregateFigures`.
 *
 * The anonymity decision only sees counts; the `summarise` function only ever sees the values of
 * a set of raters that may be shown. A withheld figure is built without touching the values, so
 * it cannot leak a mean, a spread or a count.
 */
import { decideShownGroups } from './anonymity';
import { tallyGroups, type RoundGroups } from './round-groups';
import { countPerPoint, mean, sampleSd } from './statistics';
import type { FigureSlots, ItemFigure, PulseFigure, ShownFigure, WithheldCause, WithheldFigure } from './types';

/** One rater's value on the thing being shown; null when they answered N/A (or have no score). */
export interface RaterValue {
  groupKey: string;
  value: number | null;
}

/** Turns the answered values of a set of raters (and their N/A count) into a shown figure. */
export type Summarise<T extends ShownFigure> = (values: number[], nNA: number) => T;

/**
 * Computes the figures of one item, competency or focus area, applying the per-item anonymity
 * rule from the round's columns:
 * - self: always shown (the client's own answer);
 * - each round-level column: shown when the per-item procedure keeps it, else withheld
 *   ("too few answers on this <subject>");
 * - All others: every non-self value, shown only when at least k anonymous raters answered.
 *
 * @example
 * aggregateFigures(
 *   [{ groupKey: 'self', value: 4 }, { groupKey: 'peers', value: 3 }, { groupKey: 'peers', value: 5 },
 *    { groupKey: 'peers', value: null }, { groupKey: 'peers', value: 4 }],
 *   round, summariseValues, 'item');
 * // with k = 3 and peers a column: self mean 4; peers and All others mean 4, n 3, nNA 1
 */
export function aggregateFigures<T extends ShownFigure>(
  raters: readonly RaterValue[],
  round: RoundGroups,
  summarise: Summarise<T>,
  subject: string,
): FigureSlots<T> {
  const others = raters.filter((rater) => rater.groupKey !== round.self.key);
  const answered = (key: string) => others.filter((rater) => rater.groupKey === key && rater.value !== null).length;
  const decision = decideShownGroups(
    tallyGroups(round.nonSelf, answered),
    round.k,
    round.shown.map((group) => group.key),
  );
  const figureOf = (selected: readonly RaterValue[]) => summariseRaters(selected, summarise);
  return {
    self: figureOf(raters.filter((rater) => rater.groupKey === round.self.key)),
    allOthers:
      decision.anonymousTotal >= round.k
        ? figureOf(others)
        : withheld(`fewer than ${round.k} anonymous raters answered this ${subject}`, 'anonymous-minimum'),
    groups: round.shown.map((group) => ({
      groupKey: group.key,
      label: group.label,
      figure: decision.shown.includes(group.key)
        ? figureOf(others.filter((rater) => rater.groupKey === group.key))
        : withheld(`too few answers on this ${subject}`, 'too-few-answers'),
    })),
  };
}

/**
 * A withheld figure: the reason (and its cause, when the engine's rule has one) and nothing else.
 *
 * @example
 * withheld('too few answers on this item', 'too-few-answers'); // { withheld: true, reason: 'too few answers on this item', cause: 'too-few-answers' }
 */
export function withheld(reason: string, cause?: WithheldCause): WithheldFigure {
  return cause ? { withheld: true, reason, cause } : { withheld: true, reason };
}

/**
 * The common part of every shown figure: n, N/A count, mean and sample sd.
 *
 * @example
 * summariseValues([3, 4, 5], 1); // { withheld: false, n: 3, nNA: 1, mean: 4, sd: 1 }
 */
export function summariseValues(values: number[], nNA: number): ShownFigure {
  return { withheld: false, n: values.length, nNA, mean: mean(values), sd: sampleSd(values) };
}

/**
 * A summariser for item ratings on a K-point scale: adds the count per scale point.
 *
 * @example
 * summariseRatings(5)([3, 4, 4], 0).distribution; // [0, 0, 1, 2, 0]
 */
export function summariseRatings(points: number): Summarise<ItemFigure> {
  const scalePoints = Array.from({ length: points }, (_, index) => index + 1);
  return (values, nNA) => ({ ...summariseValues(values, nNA), distribution: countPerPoint(values, scalePoints) });
}

/**
 * A summariser for pulse ratings on -3..+3: adds the shares of raters at more (> 0), same (0) and
 * less (< 0) effective.
 *
 * @example
 * summarisePulse([2, 0, -1, 1], 0); // shareMore 0.5, shareSame 0.25, shareLess 0.25, mean 0.5
 */
export function summarisePulse(values: number[], nNA: number): PulseFigure {
  const share = (test: (value: number) => boolean) =>
    values.length === 0 ? null : values.filter(test).length / values.length;
  return {
    ...summariseValues(values, nNA),
    shareMore: share((value) => value > 0),
    shareSame: share((value) => value === 0),
    shareLess: share((value) => value < 0),
  };
}

function summariseRaters<T extends ShownFigure>(raters: readonly RaterValue[], summarise: Summarise<T>): T {
  const values = raters.flatMap((rater) => (rater.value === null ? [] : [rater.value]));
  return summarise(values, raters.length - values.length);
}
