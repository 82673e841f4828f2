/**
 * Structural checks of the engine's input and resolution of the defaults. The server validates
 * user input; these checks catch programming errors early, with a message, instead of letting a
 * duplicate id or a missing self group quietly corrupt a report.
 */
import { ReportInputError } from './errors';
import { uniformVariance } from './statistics';
import type { RaterGroup, QuestionnaireSnapshot, ReportInput, ReportSettings } from './types';

/** The round-wide anonymity minimum when the round does not set one. */
export const DEFAULT_K = 3;

/**
 * Resolves k: the default when absent; otherwise it must be a whole number of at least 1.
 *
 * @example
 * resolveK(undefined); // 3
 * resolveK(4);         // 4
 */
export function resolveK(k: number | undefined): number {
  if (k === undefined) return DEFAULT_K;
  if (!Number.isInteger(k) || k < 1) throw new ReportInputError(`k must be a whole number of at least 1, got ${k}`);
  return k;
}

/**
 * Checks the groups (unique keys, exactly one self group, whole minimums) and returns the self group.
 *
 * @example
 * validateGroups([{ key: 'self', label: 'Self', minimum: 1, anonymous: false, self: true }]).key; // 'self'
 */
export function validateGroups(groups: readonly RaterGroup[]): RaterGroup {
  assertUnique(groups.map((group) => group.key), 'group key');
  const selfGroups = groups.filter((group) => group.self);
  if (selfGroups.length !== 1) throw new ReportInputError(`exactly one self group is required, got ${selfGroups.length}`);
  for (const group of groups) {
    if (!Number.isInteger(group.minimum) || group.minimum < 0) {
      throw new ReportInputError(`the minimum of group "${group.key}" must be a whole number, got ${group.minimum}`);
    }
  }
  return selfGroups[0]!;
}

/**
 * Checks the questionnaire: a whole number of scale points (at least 2) with one label each, and
 * ids unique among competencies, among items (across competencies) and among open questions.
 *
 * @example
 * validateQuestionnaire(snapshot); // throws ReportInputError on a duplicate item id
 */
export function validateQuestionnaire(questionnaire: QuestionnaireSnapshot): void {
  const { scale } = questionnaire;
  if (!Number.isInteger(scale.points) || scale.points < 2) {
    throw new ReportInputError(`the scale must have a whole number of points (at least 2), got ${scale.points}`);
  }
  if (scale.labels.length !== scale.points) {
    throw new ReportInputError(`the scale has ${scale.points} points but ${scale.labels.length} labels`);
  }
  assertUnique(questionnaire.competencies.map((competency) => competency.id), 'competency id');
  assertUnique(questionnaire.competencies.flatMap((competency) => competency.items.map((item) => item.id)), 'item id');
  assertUnique(questionnaire.openQuestions.map((question) => question.id), 'open question id');
}

/**
 * Validates a report input and resolves its settings with their defaults: k = 3,
 * tau = (K-1)/4, strength cut = 1 + 0.75(K-1), midpoint = (1+K)/2.
 *
 * @example
 * resolveReportSettings(inputWithFivePointScale);
 * // { scalePoints: 5, k: 3, tau: 1, strengthCut: 4, midpoint: 3, uniformVariance: 2, ... }
 */
export function resolveReportSettings(input: ReportInput): ReportSettings {
  validateQuestionnaire(input.questionnaire);
  validateGroups(input.groups);
  const { points, labels } = input.questionnaire.scale;
  const tau = input.tau ?? (points - 1) / 4;
  const strengthCut = input.strengthCut ?? 1 + 0.75 * (points - 1);
  if (!Number.isFinite(tau) || tau <= 0) throw new ReportInputError(`tau must be a positive number, got ${tau}`);
  if (!Number.isFinite(strengthCut)) throw new ReportInputError(`the strength cut must be a number, got ${strengthCut}`);
  return {
    scalePoints: points,
    scaleLabels: [...labels],
    naLabel: input.questionnaire.scale.naLabel,
    k: resolveK(input.k),
    tau,
    strengthCut,
    midpoint: (1 + points) / 2,
    uniformVariance: uniformVariance(points),
  };
}

/**
 * Throws a ReportInputError naming the first value that occurs twice.
 *
 * @example
 * assertUnique(['a', 'b', 'a'], 'item id'); // throws: duplicate item id "a"
 */
export function assertUnique(values: readonly string[], what: string): void {
  const seen = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) throw new ReportInputError(`duplicate ${what} "${value}"`);
    seen.add(value);
  }
}
