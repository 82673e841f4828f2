import { buildChangeReport, buildReport } from '../../reports/index';
import type { ChangeReport, Readiness } from '../../reports/types';
import type { Db } from '../auth/auth.repository';
import { getEngagement } from '../engagements/engagements.service';
import type { Engagement } from '../engagements/engagements.repository';
import { ConflictError } from '../errors';
import { listPlan } from '../goals/goals.service';
import { countRatersInBoth, type Round } from '../rounds/rounds.repository';
import { getRound } from '../rounds/rounds.service';
import { reportInputForRound } from './reports.service';

export interface RoundChange {
  baseline: Round;
  evaluation: Round;
  engagement: Engagement;
  /** The evaluation round's own readiness: no comparison before it has k non-self responses. */
  readiness: Readiness;
  report: ChangeReport;
}

/** The change report of an evaluation round against the baseline it re-runs. */
export async function changeReportForRound(db: Db, coachId: string, evaluationRoundId: string): Promise<RoundChange> {
  const evaluation = await getRound(db, coachId, evaluationRoundId);
  if (evaluation.purpose !== 'evaluation' || !evaluation.baselineRoundId) throw new ConflictError('A change report compares an evaluation round with its baseline.');
  if (!evaluation.snapshot) throw new ConflictError('This round has not been launched yet.');
  const baseline = await getRound(db, coachId, evaluation.baselineRoundId);
  const engagement = await getEngagement(db, coachId, evaluation.engagementId);
  const [baselineInput, evaluationInput, plan, ratersInBoth] = await Promise.all([
    reportInputForRound(db, baseline),
    reportInputForRound(db, evaluation),
    listPlan(db, coachId, engagement.id),
    countRatersInBoth(db, baseline.id, evaluation.id),
  ]);
  const focus = plan.filter((area) => area.roundId === baseline.id).map((area) => ({ type: area.type, id: area.refId }));
  return {
    baseline,
    evaluation,
    engagement,
    readiness: buildReport(evaluationInput).readiness,
    report: buildChangeReport(baselineInput, evaluationInput, { focus, ratersInBoth }),
  };
}
