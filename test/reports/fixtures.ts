/**
 * Builders for report-engine tests: small questionnaires, the usual rater groups and responses,
 * so each test states only what it is about.
 */
import { expect } from 'vitest';
import { buildReport } from '../../reports';
import type {
  Figure,
  FigureBase,
  FigureSlots,
  RaterGroup,
  QuestionnaireSnapshot,
  ReportInput,
  ResponseInput,
  TeamLeader,
} from '../../reports';

export const SELF: RaterGroup = { key: 'self', label: 'Self', minimum: 1, anonymous: false, self: true };
export const MANAGER: RaterGroup = { key: 'manager', label: 'Manager', minimum: 1, anonymous: false, self: false };
export const PEERS: RaterGroup = { key: 'peers', label: 'Peers', minimum: 3, anonymous: true, self: false };
export const REPORTS: RaterGroup = { key: 'reports', label: 'Direct reports', minimum: 3, anonymous: true, self: false };
export const OTHERS: RaterGroup = { key: 'others', label: 'Others', minimum: 3, anonymous: true, self: false };
export const STANDARD_GROUPS: RaterGroup[] = [SELF, MANAGER, PEERS, REPORTS, OTHERS];

/**
 * A questionnaire from competency id -> item ids; names and texts derive from the ids
 * (competency "c1" is named "C1", item "i1" reads "Item i1").
 */
export function questionnaire(
  competencies: Record<string, string[]>,
  options: { points?: number; openQuestions?: string[] } = {},
): QuestionnaireSnapshot {
  const points = options.points ?? 5;
  return {
    name: 'Leadership 360',
    description: 'Test questionnaire',
    scale: { points, labels: Array.from({ length: points }, (_, i) => `P${i + 1}`), naLabel: 'Not able to rate' },
    competencies: Object.entries(competencies).map(([id, itemIds]) => ({
      id,
      name: id.toUpperCase(),
      description: `About ${id}`,
      items: itemIds.map((itemId) => ({ id: itemId, text: `Item ${itemId}` })),
    })),
    openQuestions: (options.openQuestions ?? []).map((id) => ({ id, text: `Question ${id}` })),
  };
}

/** One response. */
export function response(
  groupKey: string,
  ratings: Record<string, number | null>,
  comments: Record<string, string> = {},
): ResponseInput {
  return { groupKey, ratings, comments };
}

/** One response per rating value, all on the same item: raters('peers', 'i1', [3, 4, null]). */
export function raters(groupKey: string, itemId: string, values: Array<number | null>): ResponseInput[] {
  return values.map((value) => response(groupKey, { [itemId]: value }));
}

/** A report input with sensible defaults: seed "round-1", k 3, the standard groups, 5 invitations each. */
export function reportInput(overrides: Partial<ReportInput> & Pick<ReportInput, 'responses'>): ReportInput {
  const groups = overrides.groups ?? STANDARD_GROUPS;
  return {
    seed: 'round-1',
    questionnaire: questionnaire({ c1: ['i1'] }),
    groups,
    k: 3,
    invited: Object.fromEntries(groups.map((group) => [group.key, group.self ? 1 : 5])),
    ...overrides,
  };
}

/** Asserts the figure is shown and returns it typed as such. */
export function shown<T extends FigureBase>(figure: Figure<T>): T {
  expect(figure.withheld).toBe(false);
  if (figure.withheld) throw new Error('withheld');
  return figure;
}

/** The figure of one column group. */
export function groupFigure<T extends FigureBase>(slots: FigureSlots<T>, key: string): Figure<T> {
  const group = slots.groups.find((g) => g.groupKey === key);
  if (group === undefined) throw new Error(`no column for group ${key}`);
  return group.figure;
}

/** |actual - expected| <= tolerance. */
export function expectClose(actual: number | null | undefined, expected: number, tolerance = 1e-9): void {
  expect(actual).not.toBeNull();
  expect(actual).toBeDefined();
  expect(Math.abs((actual as number) - expected)).toBeLessThanOrEqual(tolerance);
}

/**
 * A leader for team reports, rated by three peers: on i1 all three give `i1`, on i2 all three give
 * `i2`; the leader rates themself `self` on both. So their All others means are exactly i1 and i2,
 * the competency c1 (the mean of its items) (i1 + i2) / 2, and self is `self` everywhere.
 */
export function teamLeader(id: string, i1: number, i2: number, self: number, released = false): TeamLeader {
  const input = reportInput({
    groups: [SELF, PEERS],
    questionnaire: questionnaire({ c1: ['i1', 'i2'] }),
    responses: [response('self', { i1: self, i2: self }), ...[0, 1, 2].map(() => response('peers', { i1, i2 }))],
  });
  return { id, name: `Leader ${id}`, released, report: buildReport(input) };
}
