/**
 * The round-level group decision: from the responders per group, which groups get their own
 * column for the whole report, which are merged into All others and why, and whether the round has
 * enough responses. Shared by the round report and the pulse report.
 *
 * Deciding the columns once per round keeps the page readable; the per-item rule
 * (`aggregateFigures`) then starts from these columns and can only withhold more.
 */
import { decideShownGroups, effectiveMinimum, type GroupTally, type ShownGroupsDecision } from './anonymity';
import type { RaterGroup, GroupStatus, GroupSummary, Readiness } from './types';

/** Label of the pooled figure of every non-self rater. */
export const ALL_OTHERS_LABEL = 'All others';

/** A non-self group with the minimum it must actually reach. */
export interface GroupRule {
  key: string;
  label: string;
  anonymous: boolean;
  /** Effective minimum: max(minimum, k) when anonymous, max(minimum, 1) otherwise. */
  minimum: number;
}

/** The round-level decision, the context every per-item figure is computed in. */
export interface RoundGroups {
  k: number;
  self: { key: string; label: string };
  /** Every non-self group, in display order. */
  nonSelf: GroupRule[];
  /** The non-self groups shown on their own, in display order. */
  shown: GroupRule[];
  /** Anonymous non-self responders of the round. */
  anonymousResponses: number;
  summaries: GroupSummary[];
  readiness: Readiness;
}

/**
 * Splits responses into those of a known group and a note about the others. An unknown group key
 * cannot be placed under the anonymity rule, so such a response is left out and the report says so.
 *
 * @example
 * keepKnownGroups(groups, [{ groupKey: 'peers', ... }, { groupKey: 'nope', ... }]);
 * // { known: [the peers response], notes: ['1 response from an unknown rater group was left out'] }
 */
export function keepKnownGroups<R extends { groupKey: string }>(
  groups: readonly RaterGroup[],
  responses: readonly R[],
): { known: R[]; notes: string[] } {
  const keys = new Set(groups.map((group) => group.key));
  const known = responses.filter((response) => keys.has(response.groupKey));
  const unknown = responses.length - known.length;
  const verb = unknown === 1 ? 'was' : 'were';
  const notes = unknown === 0 ? [] : [`${responsesText(unknown)} from an unknown rater group ${verb} left out`];
  return { known, notes };
}

/**
 * Decides, from the number of responses per group, the columns of the report.
 *
 * @example
 * // k = 3: manager 1, peers 1, direct reports 3
 * decideRoundGroups(groups, 3, invited, responses).summaries.map((g) => g.reason);
 * // ['Self: the client's own ratings',
 * //  'Manager: 1 response, shown on its own (not anonymous)',
 * //  'Peers: 1 response, fewer than the minimum of 3; counted in All others',
 * //  'Direct reports: merged so that the Peers figures cannot be derived by subtraction; counted in All others']
 */
export function decideRoundGroups(
  groups: readonly RaterGroup[],
  k: number,
  invited: Readonly<Record<string, number>>,
  responses: readonly { groupKey: string }[],
): RoundGroups {
  const self = groups.find((group) => group.self)!;
  const nonSelf = groups.filter((group) => !group.self).map((group): GroupRule => ({
    key: group.key,
    label: group.label,
    anonymous: group.anonymous,
    minimum: effectiveMinimum(group, k),
  }));
  const completed = (key: string) => responses.filter((response) => response.groupKey === key).length;
  const decision = decideShownGroups(tallyGroups(nonSelf, completed), k);
  const labelOf = (key: string) => groups.find((group) => group.key === key)!.label;
  const summaries = groups.map((group) =>
    summariseGroup(group, { k, invited: invited[group.key] ?? 0, completed: completed(group.key), decision, labelOf }),
  );
  return {
    k,
    self: { key: self.key, label: self.label },
    nonSelf,
    shown: nonSelf.filter((group) => decision.shown.includes(group.key)),
    anonymousResponses: decision.anonymousTotal,
    summaries,
    readiness: readinessOf(summaries, k, decision.anonymousTotal),
  };
}

/**
 * Pairs each group rule with a count, the input of `decideShownGroups`.
 *
 * @example
 * tallyGroups([{ key: 'peers', label: 'Peers', anonymous: true, minimum: 3 }], () => 4);
 * // [{ key: 'peers', anonymous: true, minimum: 3, count: 4 }]
 */
export function tallyGroups(rules: readonly GroupRule[], countOf: (key: string) => number): GroupTally[] {
  return rules.map((rule) => ({ key: rule.key, anonymous: rule.anonymous, minimum: rule.minimum, count: countOf(rule.key) }));
}

/**
 * "1 response" / "3 responses".
 *
 * @example
 * responsesText(1); // '1 response'
 */
export function responsesText(count: number): string {
  return `${count} ${count === 1 ? 'response' : 'responses'}`;
}

interface SummaryContext {
  k: number;
  invited: number;
  completed: number;
  decision: ShownGroupsDecision;
  labelOf: (key: string) => string;
}

function summariseGroup(group: RaterGroup, context: SummaryContext): GroupSummary {
  const minimum = group.self ? 1 : effectiveMinimum(group, context.k);
  const status = statusOf(group, context);
  return {
    key: group.key,
    label: group.label,
    self: group.self,
    anonymous: group.anonymous,
    minimum: group.minimum,
    effectiveMinimum: minimum,
    invited: context.invited,
    completed: context.completed,
    status,
    shownOnItsOwn: status === 'self' || status === 'shown',
    reason: reasonFor(group, status, minimum, context),
    moreResponsesNeeded: Math.max(0, minimum - context.completed),
  };
}

function statusOf(group: RaterGroup, context: SummaryContext): GroupStatus {
  if (group.self) return 'self';
  if (context.completed === 0) return 'no-responses';
  if (context.decision.shown.includes(group.key)) return 'shown';
  if (context.decision.merged.some((merge) => merge.key === group.key)) return 'merged';
  return 'below-minimum';
}

function reasonFor(group: RaterGroup, status: GroupStatus, minimum: number, context: SummaryContext): string {
  const { label } = group;
  switch (status) {
    case 'self':
      return context.completed > 0 ? `${label}: the client's own ratings` : `${label}: no self-assessment yet`;
    case 'no-responses':
      return `${label}: no responses yet`;
    case 'shown':
      return `${label}: ${responsesText(context.completed)}, shown on its own${group.anonymous ? '' : ' (not anonymous)'}`;
    case 'below-minimum':
      return `${label}: ${responsesText(context.completed)}, fewer than the minimum of ${minimum}; counted in ${ALL_OTHERS_LABEL}`;
    case 'merged': {
      const merge = context.decision.merged.find((m) => m.key === group.key)!;
      const protectedLabels = joinLabels(merge.protects.map(context.labelOf));
      return `${label}: merged so that the ${protectedLabels} figures cannot be derived by subtraction; counted in ${ALL_OTHERS_LABEL}`;
    }
  }
}

function readinessOf(summaries: readonly GroupSummary[], k: number, anonymousResponses: number): Readiness {
  const nonSelfResponses = summaries.filter((group) => !group.self).reduce((total, group) => total + group.completed, 0);
  return {
    ready: nonSelfResponses >= k,
    k,
    nonSelfResponses,
    anonymousResponses,
    moreResponsesNeeded: Math.max(0, k - nonSelfResponses),
  };
}

/** "Peers", "Peers and Others", "Peers, Others and Team". */
function joinLabels(labels: readonly string[]): string {
  if (labels.length <= 1) return labels.join('');
  return `${labels.slice(0, -1).join(', ')} and ${labels[labels.length - 1]}`;
}
