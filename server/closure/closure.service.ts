import type { Comparison, NoComparison } from '../../reports/types';
import type { Db } from '../db/schema';
import { getEngagement, stageTimeline } from '../engagements/engagements.service';
import { developmentPlan } from '../focus-areas/focus-areas.service';
import type { FocusArea } from '../focus-areas/focus-areas.types';
import { changeReportForRound, type RoundChange } from '../reports/change.service';
import { listRoundsWithProgress } from '../rounds/round-progress';
import { hasChangeReportPage } from '../rounds/round-rules';
import type { Round } from '../rounds/rounds.types';

/** The most recent launched evaluation round among an engagement's rounds, with the baseline it re-runs. */
export function latestComparison(rounds: Round[]): { baseline: Round; evaluation: Round } | null {
  const evaluation = rounds.filter(hasChangeReportPage).at(-1);
  const baseline = evaluation && rounds.find((round) => round.id === evaluation.baselineRoundId);
  return evaluation && baseline ? { baseline, evaluation } : null;
}

export interface FocusOutcome {
  focus: FocusArea;
  /** All others' comparison on this focus area in the latest change report, if it could be made. */
  change: Comparison | NoComparison | null;
}

/** Everything the printable engagement summary shows. */
export async function engagementSummary(db: Db, coachId: string, engagementId: string) {
  const engagement = await getEngagement(db, coachId, engagementId);
  const [timeline, rounds, plan] = await Promise.all([stageTimeline(db, coachId, engagement.id), listRoundsWithProgress(db, engagement.id), developmentPlan(db, engagement.id)]);
  const comparison = latestComparison(rounds);
  const change: RoundChange | null = comparison ? await changeReportForRound(db, coachId, comparison.evaluation.id) : null;
  const entries = change?.report ? [...change.report.competencies, ...change.report.items] : [];
  const outcomes: FocusOutcome[] = plan.map((focus) => {
    const entry = entries.find((candidate) => candidate.type === focus.type && candidate.id === focus.refId);
    return { focus, change: entry ? entry.allOthers : null };
  });
  return { engagement, timeline, rounds, outcomes, change };
}
