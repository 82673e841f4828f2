import type { PulseInput, ReportInput, VersionedInput } from '../../reports/types';

/** The −3..+3 pulse scale, shown as seven labelled points. */
export const PULSE_LABELS = [
  'Much less effective',
  'Less effective',
  'Slightly less effective',
  'No change',
  'Slightly more effective',
  'More effective',
  'Much more effective',
];

/** Pulse answers are stored as the survey's scale points 1..7; point 4 ("No change") is 0. */
const PULSE_ZERO_POINT = 4;

/**
 * A launched pulse round as the pulse engine reads it: one focus area per section of its
 * questionnaire, answers moved from the survey's points 1..7 onto −3..+3.
 */
export function pulseInputOf(input: VersionedInput<ReportInput>): VersionedInput<PulseInput> {
  return {
    seed: input.seed,
    groups: input.groups,
    ...(input.k === undefined ? {} : { k: input.k }),
    invited: input.invited,
    focusAreas: input.questionnaire.competencies.map((competency) => ({ id: competency.id, label: competency.name })),
    responses: input.responses.map((response) => ({
      groupKey: response.groupKey,
      version: response.version,
      ratings: Object.fromEntries(Object.entries(response.ratings).map(([id, value]) => [id, value === null ? null : value - PULSE_ZERO_POINT])),
      comments: response.comments,
    })),
  };
}
