/**
 * What a coach has shown of leaders' figures on one questionnaire version, beyond each leader's own
 * report: the norms still visible and every team report ever shown (page, export or API). A new norm
 * or a new team report is checked against all of it with `findLeaderLeak` (reports/norms.ts), as
 * docs/anonymity.md checks a round's versions, with leaders in place of raters.
 */
import type { LeaderAggregate } from '../../reports/index';
import type { Db } from '../db/schema';
import { listShownTeamReports, type StoredFootprint } from '../teams/teams.repository';
import { listReleasedVersions } from './leaders.repository';
import { leaderOfKey } from './leaders.service';

export function aggregateOfFootprint(footprint: StoredFootprint): LeaderAggregate {
  return { subjects: Object.fromEntries(Object.entries(footprint.subjects).map(([subject, indexes]) => [subject, { leaderIds: indexes.map((index) => footprint.leaders[index]!) }])) };
}

export function footprintOfAggregate(aggregate: LeaderAggregate): StoredFootprint {
  const leaders = [...new Set(Object.values(aggregate.subjects).flatMap((subject) => subject.leaderIds))].sort();
  const position = new Map(leaders.map((leader, index) => [leader, index]));
  const subjects = Object.fromEntries(
    Object.entries(aggregate.subjects)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([subject, { leaderIds }]) => [subject, leaderIds.map((leader) => position.get(leader)!).sort((a, b) => a - b)]),
  );
  return { leaders, subjects };
}

/**
 * The leaders among these aggregates whose figures a team report showed as theirs: a version ever
 * released to them (a revoked release does not take back what was seen). A leader key is
 * engagement:round:version (leaderKey).
 */
export async function leadersShownByName(db: Db, aggregates: readonly LeaderAggregate[]): Promise<Set<string>> {
  const keys = [...new Set(aggregates.flatMap((aggregate) => Object.values(aggregate.subjects).flatMap((subject) => subject.leaderIds)))];
  const released = await listReleasedVersions(db, [...new Set(keys.map((key) => leaderOfKey(key).roundId))], { revokedToo: true });
  return new Set(keys.filter((key) => {
    const { roundId, version } = leaderOfKey(key);
    return released.has(`${roundId}:${version}`);
  }));
}

/** Every team report the coach was shown on the version, with the leaders those reports showed by name. */
export async function shownTeamReports(db: Db, coachId: string, questionnaireVersion: string): Promise<{ reports: LeaderAggregate[]; known: Set<string> }> {
  const reports = (await listShownTeamReports(db, coachId, questionnaireVersion)).map(aggregateOfFootprint);
  return { reports, known: await leadersShownByName(db, reports) };
}
