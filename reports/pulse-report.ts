/**
 * The report of a pulse check-in: raters say, per focus area, whether the client has become less
 * (-3) or more (+3) effective. Same groups, same anonymity rule, same comment handling as a round.
 */
import { aggregateFigures, summarisePulse } from './aggregation';
import { meansChart } from './charts';
import { buildCommentSections } from './comments';
import { decideRoundGroups, keepKnownGroups } from './round-groups';
import { keyRaterValues } from './scores';
import type { PulseFocusResult, PulseInput, PulseReport } from './types';
import { assertUnique, resolveK, validateGroups } from './validation';

/** The pulse scale: -3 "less effective" .. +3 "more effective". */
export const PULSE_MIN = -3;
export const PULSE_MAX = 3;

/**
 * Computes a pulse report: per focus area the mean and the shares of raters at more / same / less
 * for self, All others and each group shown on its own.
 *
 * @example
 * const pulse = buildPulseReport({
 *   seed: 'pulse-7', groups, k: 3,
 *   focusAreas: [{ id: 'delegation', label: 'Delegating' }],
 *   invited: { self: 1, peers: 4 },
 *   responses: [{ groupKey: 'peers', ratings: { delegation: 2 }, comments: {} }, ...],
 * });
 * pulse.focusAreas[0].allOthers; // { withheld: false, n: 4, mean: 1.25, shareMore: 0.75, shareSame: 0.25, shareLess: 0, ... }
 */
export function buildPulseReport(input: PulseInput): PulseReport {
  const k = resolveK(input.k);
  validateGroups(input.groups);
  assertUnique(input.focusAreas.map((area) => area.id), 'focus area id');
  const { known: responses, notes } = keepKnownGroups(input.groups, input.responses);
  const round = decideRoundGroups(input.groups, k, input.invited, responses);
  const focusAreas = input.focusAreas.map(
    (area): PulseFocusResult => ({
      id: area.id,
      label: area.label,
      ...aggregateFigures(keyRaterValues(responses, area.id, PULSE_MIN, PULSE_MAX), round, summarisePulse, 'focus area'),
    }),
  );
  return {
    settings: { k, scaleMin: PULSE_MIN, scaleMax: PULSE_MAX },
    groups: round.summaries,
    shownGroupKeys: round.shown.map((group) => group.key),
    readiness: round.readiness,
    focusAreas,
    comments: buildCommentSections(
      input.focusAreas.map((area) => ({ id: area.id, text: area.label })),
      responses,
      round,
      input.seed,
    ),
    charts: { means: meansChart(focusAreas.map((area) => ({ label: area.label, slots: area })), round) },
    notes,
  };
}
