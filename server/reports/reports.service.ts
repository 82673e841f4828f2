import type { ReportModel } from '../../reports/types';
import type { Db } from '../db/schema';
import { findCoachById } from '../auth/auth.repository';
import { addDays, type Clock } from '../clock';
import { getEngagement, moveToStage } from '../engagements/engagements.service';
import type { Engagement } from '../engagements/engagements.types';
import { STAGE_KEYS } from '../engagements/stages';
import { ConflictError, NotFoundError } from '../errors';
import { Phrase } from '../i18n/phrase';
import { listRoundMessages } from '../mail/outbox.repository';
import { queueEmail, type MailContext } from '../mail/outbox.service';
import { findRound } from '../rounds/rounds.repository';
import type { Round } from '../rounds/rounds.types';
import { canRelease } from '../rounds/round-rules';
import { getRound } from '../rounds/rounds.service';
import { hashToken, newId, newSecretToken } from '../secrets';
import { releaseEmail } from './report-emails';
import * as repo from './reports.repository';
import type { Release } from './reports.repository';
import { publishedRoundReport, type Publication } from './versions.service';

export interface RoundReport {
  round: Round;
  engagement: Engagement;
  /** The published version on show (none while the round is open for the first time) and what waits for the next. */
  publication: Publication<ReportModel>;
  releases: Release[];
}

export async function roundReport(db: Db, coachId: string, roundId: string): Promise<RoundReport> {
  const round = await getRound(db, coachId, roundId);
  const engagement = await getEngagement(db, coachId, round.engagementId);
  const [publication, releases] = await Promise.all([publishedRoundReport(db, round), repo.listReleases(db, round.id)]);
  return { round, engagement, publication, releases };
}

/**
 * The published report's model, or a ConflictError saying why there is none yet, with the response
 * counts (counts only: docs/anonymity.md, rule 3) in its details. For the JSON and CSV exports and the API.
 */
export function publishedModel(report: RoundReport): ReportModel {
  if (report.publication.model) return report.publication.model;
  throw notPublished(report);
}

function notPublished(report: RoundReport): ConflictError {
  const readiness = report.publication.proposal.readiness;
  const message = !readiness.ready
    ? new Phrase('error.report.needsResponses', { k: readiness.k, more: readiness.moreResponsesNeeded })
    : new Phrase('error.report.publishedAtClose');
  const perGroup = Object.fromEntries(report.publication.counts.filter((group) => !group.self).map((group) => [group.key, group.moreNeeded]));
  return new ConflictError(message, { roundStatus: report.round.status, k: readiness.k, nonSelfResponses: readiness.nonSelfResponses, moreResponsesNeeded: readiness.moreResponsesNeeded, perGroup });
}

export type ReleaseStatus = 'active' | 'revoked' | 'superseded' | 'expired';

export function releaseStatus(release: Release, now: Date): ReleaseStatus {
  if (release.revokedAt) return 'revoked';
  if (release.supersededAt) return 'superseded';
  return release.expiresAt <= now.toISOString() ? 'expired' : 'active';
}

/**
 * Without SMTP the release email is only written to a file: the link of the round's active release
 * (its email is the round's latest report-release message), for the coach to pass on. Null when no
 * release is active.
 */
export async function activeReleaseLink(db: Db, report: RoundReport, now: Date): Promise<string | null> {
  const latest = report.releases[0];
  if (!latest || releaseStatus(latest, now) !== 'active') return null;
  const messages = await listRoundMessages(db, report.round.id);
  return messages.filter((message) => message.kind === 'report-release').at(-1)?.actionUrl ?? null;
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
  if (!canRelease(report.round)) {
    throw report.round.status === 'closed' ? notPublished(report) : new ConflictError(new Phrase('error.report.closeFirst'));
  }
  const model = publishedModel(report);
  const coach = await findCoachById(db, coachId);
  const now = mail.clock.now();
  const { token, hash } = newSecretToken();
  const version = (report.releases[0]?.version ?? 0) + 1;
  const release = {
    id: newId(),
    roundId: report.round.id,
    version,
    note: options.note,
    report: model,
    reportVersion: report.publication.latest,
    releasedAt: now.toISOString(),
    expiresAt: addDays(now, options.linkDays).toISOString(),
  };
  const link = `${mail.publicUrl}/r/${token}`;
  await db.transaction().execute(async (trx) => {
    await repo.supersedeReleases(trx, report.round.id, now.toISOString());
    await repo.insertRelease(trx, { ...release, tokenHash: hash });
    const { clientName, clientEmail, language } = report.engagement;
    await queueEmail(trx, mail, releaseEmail(release, { name: clientName, email: clientEmail, language }, { name: coach?.name ?? '', email: coach?.email }, link, mail.views.translator(language)));
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
