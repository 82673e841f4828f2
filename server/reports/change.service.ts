import { buildChangeReport } from '../../reports/index';
import type { ChangeReport, Readiness } from '../../reports/types';
import type { Db } from '../db/schema';
import { getEngagement } from '../engagements/engagements.service';
import type { Engagement } from '../engagements/engagements.types';
import { ConflictError } from '../errors';
import { Phrase } from '../i18n/phrase';
import { listPlan } from '../focus-areas/focus-areas.service';
import { countRatersInBoth } from '../rounds/invitations.repository';
import type { Round } from '../rounds/rounds.types';
import { hasChangeReportPage } from '../rounds/round-rules';
import { getRound } from '../rounds/rounds.service';
import { publishedRoundReport } from './versions.service';

export interface RoundChange {
  baseline: Round;
  evaluation: Round;
  engagement: Engagement;
  /** Response counts of the evaluation round: no comparison before it has k non-self responses. */
  readiness: Readiness;
  /** The published versions compared; 0 where none is published yet. */
  versions: { baseline: number; evaluation: number };
  /** Null until both rounds have a published version. */
  report: ChangeReport | null;
}

/**
 * The change report of an evaluation round against the baseline it re-runs, computed from the
 * latest published version of each (docs/anonymity.md, rule 3: no change report shows figures of answers that
 * neither report shows).
 */
export async function changeReportForRound(db: Db, coachId: string, evaluationRoundId: string): Promise<RoundChange> {
  const evaluation = await getRound(db, coachId, evaluationRoundId);
  if (evaluation.purpose !== 'evaluation' || !evaluation.baselineRoundId) throw new ConflictError(new Phrase('error.change.evaluationOnly'));
  if (!hasChangeReportPage(evaluation)) throw new ConflictError(new Phrase('error.round.notLaunched'));
  const baseline = await getRound(db, coachId, evaluation.baselineRoundId);
  const engagement = await getEngagement(db, coachId, evaluation.engagementId);
  const [before, after, plan, ratersInBoth] = await Promise.all([
    publishedRoundReport(db, baseline),
    publishedRoundReport(db, evaluation),
    listPlan(db, coachId, engagement.id),
    countRatersInBoth(db, baseline.id, evaluation.id),
  ]);
  const focus = plan.filter((area) => area.roundId === baseline.id).map((area) => ({ type: area.type, id: area.refId }));
  return {
    baseline,
    evaluation,
    engagement,
    readiness: after.proposal.readiness,
    versions: { baseline: before.latest, evaluation: after.latest },
    report: before.model && after.model ? buildChangeReport(before.model, after.model, { focus, ratersInBoth }) : null,
  };
}

/** The change report, or a ConflictError with the counts when one of the rounds has no published version yet. */
export function publishedChange(change: RoundChange): ChangeReport {
  if (change.report) return change.report;
  const { readiness } = change;
  const message = change.versions.baseline === 0
    ? new Phrase('error.change.noBaseline')
    : !readiness.ready
      ? new Phrase('error.change.needsResponses', { k: readiness.k, more: readiness.moreResponsesNeeded })
      : new Phrase('error.change.publishedAtClose');
  throw new ConflictError(message, { roundStatus: change.evaluation.status, k: readiness.k, nonSelfResponses: readiness.nonSelfResponses, moreResponsesNeeded: readiness.moreResponsesNeeded });
}
