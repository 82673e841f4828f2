import type { Db } from '../db/schema';
import { getEngagement } from '../engagements/engagements.service';
import type { Engagement } from '../engagements/engagements.types';
import { countInvitationsOfRounds, listInvitations } from './invitations.repository';
import { noInvitations, tallyInvitations } from './round-rules';
import { listEngagementRounds, listLatestRounds, listRoundGroups } from './rounds.repository';
import { getRound } from './rounds.service';
import type { Invitation, InvitationCounts, RaterGroup, Round, RoundSummary } from './rounds.types';

// How far a round has got: invited / opened / completed / declined and the response rate, per
// rater group and in total, for the round page, the engagement page and the API.

export interface Progress extends InvitationCounts {
  /** Completed out of those asked (declined included): the response rate. */
  rate: number;
}

export interface GroupProgress extends Progress {
  group: RaterGroup;
}

export function withRate(counts: InvitationCounts): Progress {
  return { ...counts, rate: counts.invited ? counts.completed / counts.invited : 0 };
}

/** Invited / opened / completed / declined per group. "Opened" counts everyone who got at least that far. */
export function progressByGroup(groups: RaterGroup[], invitations: Invitation[]): GroupProgress[] {
  return groups.map((group) => {
    const counts = noInvitations();
    for (const invitation of invitations) if (invitation.groupKey === group.key) tallyInvitations(counts, invitation.status);
    return { group, ...withRate(counts) };
  });
}

export interface RoundOverview {
  round: Round;
  engagement: Engagement;
  groups: RaterGroup[];
  invitations: Invitation[];
  progress: GroupProgress[];
  totals: Progress;
}

export async function roundOverview(db: Db, coachId: string, roundId: string): Promise<RoundOverview> {
  const round = await getRound(db, coachId, roundId);
  const [engagement, groups, invitations] = await Promise.all([getEngagement(db, coachId, round.engagementId), listRoundGroups(db, round.id), listInvitations(db, round.id)]);
  const totals = noInvitations();
  for (const invitation of invitations) tallyInvitations(totals, invitation.status);
  return { round, engagement, groups, invitations, progress: progressByGroup(groups, invitations), totals: withRate(totals) };
}

export type RoundWithProgress = Round & { progress: Progress };

/** Every round of an engagement the caller has checked is the coach's, oldest first, with its totals: two statements, however many rounds. */
export async function listRoundsWithProgress(db: Db, engagementId: string): Promise<RoundWithProgress[]> {
  const [rounds, counts] = await Promise.all([listEngagementRounds(db, engagementId), countInvitationsOfRounds(db, { engagementId })]);
  return rounds.map((round) => ({ ...round, progress: withRate(counts.get(round.id) ?? noInvitations()) }));
}

/** The latest round of each of the engagements (a page of the engagement list) with its totals: two statements. */
export async function latestRoundsWithProgress(db: Db, engagementIds: string[]): Promise<Map<string, RoundSummary & { progress: Progress }>> {
  const latest = await listLatestRounds(db, engagementIds);
  const counts = await countInvitationsOfRounds(db, { ids: [...latest.values()].map((round) => round.id) });
  return new Map([...latest].map(([engagementId, round]) => [engagementId, { ...round, progress: withRate(counts.get(round.id) ?? noInvitations()) }]));
}
