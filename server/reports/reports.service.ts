import { buildReport } from '../../reports/index';
import type { ReportInput, ReportModel } from '../../reports/types';
import type { Db } from '../auth/auth.repository';
import { findCoachById } from '../auth/auth.repository';
import { addDays, type Clock } from '../clock';
import { getEngagement, moveToStage } from '../engagements/engagements.service';
import type { Engagement } from '../engagements/engagements.repository';
import { STAGE_KEYS } from '../engagements/stages';
import { ConflictError, NotFoundError } from '../errors';
import { queueEmail, type MailContext } from '../mail/outbox.service';
import { countInvitationsByGroupAndStatus, findRound, listRoundGroups, type Round } from '../rounds/rounds.repository';
import { getRound } from '../rounds/rounds.service';
import { hashToken, newId, newSecretToken } from '../secrets';
import { listResponses } from '../survey/survey.repository';
import * as repo from './reports.repository';
import type { Release } from './reports.repository';

/** The engine's input for a launched round: its frozen questionnaire, groups, invitations and responses. */
export async function reportInputForRound(db: Db, round: Round): Promise<ReportInput> {
  if (!round.snapshot) throw new ConflictError('This round has not been launched yet, so it has no report.');
  const [groups, counts, responses] = await Promise.all([listRoundGroups(db, round.id), countInvitationsByGroupAndStatus(db, round.id), listResponses(db, round.id)]);
  const invited: Record<string, number> = {};
  for (const row of counts) if (row.status !== 'pending') invited[row.groupKey] = (invited[row.groupKey] ?? 0) + row.count;
  return {
    seed: round.id,
    questionnaire: round.snapshot,
    groups: groups.map((group) => ({ key: group.key, label: group.label, minimum: group.minimum, anonymous: group.anonymous, self: group.self })),
    k: round.k,
    ...(round.tau === null ? {} : { tau: round.tau }),
    invited,
    responses: responses.map((response) => ({ groupKey: response.groupKey, ratings: response.answers.ratings, comments: response.answers.comments })),
  };
}

export interface RoundReport {
  round: Round;
  engagement: Engagement;
  model: ReportModel;
  /** Still open: the figures will change. */
  draft: boolean;
  releases: Release[];
}

export async function roundReport(db: Db, coachId: string, roundId: string): Promise<RoundReport> {
  const round = await getRound(db, coachId, roundId);
  const engagement = await getEngagement(db, coachId, round.engagementId);
  const model = buildReport(await reportInputForRound(db, round));
  return { round, engagement, model, draft: round.status !== 'closed', releases: await repo.listReleases(db, round.id) };
}

export type ReleaseStatus = 'active' | 'revoked' | 'superseded' | 'expired';

export function releaseStatus(release: Release, now: Date): ReleaseStatus {
  if (release.revokedAt) return 'revoked';
  if (release.supersededAt) return 'superseded';
  return release.expiresAt <= now.toISOString() ? 'expired' : 'active';
}

/**
 * Releases the report of a closed round to the client: freezes the report as it is now, emails
 * the client a private link (valid `linkDays`), supersedes any earlier version, and moves a
 * baseline engagement on to goal setting.
 */
export async function releaseReport(
  db: Db,
  mail: MailContext,
  coachId: string,
  roundId: string,
  options: { note: string; linkDays: number },
): Promise<Release> {
  const report = await roundReport(db, coachId, roundId);
  if (report.round.status !== 'closed') throw new ConflictError('Close the round before releasing its report: an open round can still change.');
  if (!report.model.readiness.ready) throw new ConflictError(`The report needs ${report.model.readiness.moreResponsesNeeded} more responses before it can be released.`);
  const coach = await findCoachById(db, coachId);
  const now = mail.clock.now();
  const { token, hash } = newSecretToken();
  const version = (report.releases[0]?.version ?? 0) + 1;
  const release = {
    id: newId(),
    roundId: report.round.id,
    version,
    note: options.note,
    report: report.model,
    releasedAt: now.toISOString(),
    expiresAt: addDays(now, options.linkDays).toISOString(),
  };
  const link = `${mail.publicUrl}/r/${token}`;
  await db.transaction().execute(async (trx) => {
    await repo.supersedeReleases(trx, report.round.id, now.toISOString());
    await repo.insertRelease(trx, { ...release, tokenHash: hash });
    await queueEmail(trx, mail, {
      kind: 'report-release',
      to: report.engagement.clientEmail,
      replyTo: coach?.email,
      subject: version > 1 ? `An updated version of your 360 feedback report is ready` : `Your 360 feedback report is ready`,
      template: 'report-release',
      data: {
        clientName: report.engagement.clientName,
        coachName: coach?.name ?? '',
        note: options.note,
        link,
        updated: version > 1,
        expiresAt: release.expiresAt,
      },
      actionUrl: link,
      roundId: report.round.id,
    });
  });
  if (report.round.purpose === 'baseline' && STAGE_KEYS.indexOf(report.engagement.stage) < STAGE_KEYS.indexOf('goal-setting')) {
    await moveToStage(db, mail.clock, coachId, report.engagement.id, 'goal-setting');
  }
  return { ...release, revokedAt: null, supersededAt: null };
}

export async function revokeRelease(db: Db, clock: Clock, coachId: string, roundId: string, releaseId: string): Promise<void> {
  const round = await getRound(db, coachId, roundId);
  if (!(await repo.revokeRelease(db, round.id, releaseId, clock.now().toISOString()))) throw new NotFoundError();
}

/** What a client's link opens: the released version, with the round and engagement it belongs to. */
export async function findReleasedReport(db: Db, clock: Clock, token: string): Promise<{ release: Release; round: Round; engagement: Engagement; coachName: string }> {
  const release = await repo.findOpenReleaseByToken(db, hashToken(token), clock.now().toISOString());
  if (!release) throw new NotFoundError();
  const round = (await findRound(db, release.roundId))!;
  const engagement = await getEngagement(db, round.coachId, round.engagementId);
  const coach = await findCoachById(db, round.coachId);
  return { release, round, engagement, coachName: coach?.name ?? '' };
}
