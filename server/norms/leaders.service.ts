/**
 * The leaders a coach has assessed, as practice norms and team reports take them: each engagement's
 * latest closed baseline on one questionnaire version, and that round's published report (never a
 * live one: docs/anonymity.md, rule 3). Reports are built one at a time, yielding to other requests
 * in between, so hundreds of leaders never hold the event loop for long.
 */
import { reportOfVersion } from '../../reports/index';
import type { ReportModel } from '../../reports/types';
import type { Db } from '../db/schema';
import { NotFoundError } from '../errors';
import { itemCount, type QuestionnaireDefinition } from '../questionnaires/questionnaire-definition';
import { pageOf, type Page, type PageRequest } from '../lists';
import * as repo from './leaders.repository';
import type { LeaderSource, VersionWithLeaders } from './leaders.repository';
import { questionnaireVersionOf } from './questionnaire-version';

export type { LeaderSource, VersionWithLeaders };

/** Rounds read per statement when recording versions or building reports. */
const BATCH = 20;

/** Lets requests in between: better-sqlite3 and the report engine both run on the event loop. */
export function yieldToOthers(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Records the questionnaire version of each of the coach's closed baselines not recorded yet, a
 * batch at a time. A launched round's questionnaire never changes, so each is done once.
 */
export async function recordQuestionnaireVersions(db: Db, coachId: string): Promise<void> {
  for (;;) {
    const rounds = await repo.listBaselinesWithoutVersion(db, coachId, BATCH);
    if (rounds.length === 0) return;
    await repo.insertRoundVersions(
      db,
      rounds.map(({ roundId, snapshot }) => ({ roundId, version: questionnaireVersionOf(snapshot), questionnaireName: snapshot.name, competencies: snapshot.competencies.length, items: itemCount(snapshot) })),
    );
    await yieldToOthers();
  }
}

/** A page of the questionnaire versions the coach's closed baselines used, each with its number of leaders. */
export async function questionnaireVersionsPage(db: Db, coachId: string, page: PageRequest<string>): Promise<Page<VersionWithLeaders>> {
  await recordQuestionnaireVersions(db, coachId);
  const rows = await repo.listVersionsWithLeaders(db, coachId, page);
  return pageOf(rows, page.limit, (row) => [row.version]);
}

/** One of the coach's questionnaire versions; 404 when none of their closed baselines used it. */
export async function getQuestionnaireVersion(db: Db, coachId: string, version: string): Promise<VersionWithLeaders> {
  await recordQuestionnaireVersions(db, coachId);
  const found = await repo.findVersionOfCoach(db, coachId, version);
  if (!found) throw new NotFoundError('None of your closed baseline rounds used this questionnaire version.');
  return found;
}

/** The leaders of the coach (or of one of their teams) on the version: one source per engagement. */
export async function leaderSources(db: Db, coachId: string, version: string, teamId: string | null = null): Promise<LeaderSource[]> {
  await recordQuestionnaireVersions(db, coachId);
  return repo.listLeaderSources(db, coachId, version, teamId);
}

/**
 * One source per person: a client coached in two engagements enters once, with the most recent
 * baseline (the same person twice would weigh double in a norm).
 */
export function onePerClient(sources: readonly LeaderSource[]): LeaderSource[] {
  const latest = new Map<string, LeaderSource>();
  for (const source of sources) {
    const key = source.clientEmail.trim().toLowerCase();
    const kept = latest.get(key);
    if (!kept || kept.roundCreatedAt < source.roundCreatedAt || (kept.roundCreatedAt === source.roundCreatedAt && kept.roundId < source.roundId)) latest.set(key, source);
  }
  return sources.filter((source) => latest.get(source.clientEmail.trim().toLowerCase()) === source);
}

/**
 * A leader's identity in a norm: the engagement, the round and its published version. A new
 * version of the same round is another value, so the check across norms treats it as another leader.
 */
export function leaderKey(source: Pick<LeaderSource, 'engagementId' | 'roundId' | 'version'>): string {
  return `${source.engagementId}:${source.roundId}:${source.version}`;
}

/** The engagement, round and published version a leader key names (the inverse of leaderKey). */
export function leaderOfKey(key: string): Pick<LeaderSource, 'engagementId' | 'roundId' | 'version'> {
  const [engagementId = '', roundId = '', version = '0'] = key.split(':');
  return { engagementId, roundId, version: Number(version) };
}

/**
 * Builds each source's published report and hands it to `visit`, in order, reading the rounds a
 * batch at a time and yielding after each report. The caller keeps what it needs of each.
 */
export async function forEachPublishedReport(
  db: Db,
  sources: readonly LeaderSource[],
  visit: (source: LeaderSource, report: ReportModel, questionnaire: QuestionnaireDefinition) => void,
): Promise<void> {
  for (let start = 0; start < sources.length; start += BATCH) {
    const batch = sources.slice(start, start + BATCH);
    const inputs = await repo.readPublishedInputs(db, batch.map((source) => source.roundId));
    await yieldToOthers();
    for (const source of batch) {
      const input = inputs.get(source.roundId);
      if (!input?.round.snapshot) continue;
      const { round } = input;
      const report = reportOfVersion(
        {
          seed: round.id,
          questionnaire: round.snapshot!,
          groups: input.groups,
          k: round.k,
          ...(round.tau === null ? {} : { tau: round.tau }),
          invited: input.invited,
          responses: input.responses.map((response) => ({ groupKey: response.groupKey, ratings: response.answers.ratings, comments: response.answers.comments, version: response.version })),
        },
        source.version,
      );
      visit(source, report, round.snapshot!);
      await yieldToOthers();
    }
  }
}

/** Which of the sources' published versions were released to the client (a release not revoked). */
export async function releasedSources(db: Db, sources: readonly LeaderSource[]): Promise<Set<string>> {
  const released = await repo.listReleasedVersions(db, sources.map((source) => source.roundId));
  return new Set(sources.filter((source) => released.has(`${source.roundId}:${source.version}`)).map((source) => source.engagementId));
}
