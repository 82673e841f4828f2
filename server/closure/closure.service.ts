import type { Comparison, NoComparison } from '../../reports/types';
import type { Db } from '../db/schema';
import type { Clock } from '../clock';
import { getEngagement, stageTimeline } from '../engagements/engagements.service';
import { updateClosingNote } from '../engagements/engagements.repository';
import { listPlan } from '../goals/goals.service';
import type { FocusArea } from '../goals/goals.repository';
import { changeReportForRound, type RoundChange } from '../reports/change.service';
import { listEngagementRounds } from '../rounds/rounds.repository';
import { listRoundsOfEngagement } from '../rounds/rounds.service';

/** The most recent launched evaluation round's change report, if there is one. */
export async function latestChange(db: Db, coachId: string, engagementId: string): Promise<RoundChange | null> {
  const evaluations = (await listEngagementRounds(db, engagementId)).filter((round) => round.purpose === 'evaluation' && round.status !== 'draft');
  const latest = evaluations.at(-1);
  return latest ? changeReportForRound(db, coachId, latest.id) : null;
}

export interface FocusOutcome {
  focus: FocusArea;
  /** All others' comparison on this focus area in the latest change report, if it could be made. */
  change: Comparison | NoComparison | null;
}

/** Everything the printable engagement summary shows. */
export async function engagementSummary(db: Db, coachId: string, engagementId: string) {
  const engagement = await getEngagement(db, coachId, engagementId);
  const [timeline, rounds, plan, change] = await Promise.all([
    stageTimeline(db, coachId, engagement.id),
    listRoundsOfEngagement(db, coachId, engagement.id),
    listPlan(db, coachId, engagement.id),
    latestChange(db, coachId, engagement.id),
  ]);
  const entries = change?.report ? [...change.report.competencies, ...change.report.items] : [];
  const outcomes: FocusOutcome[] = plan.map((focus) => {
    const entry = entries.find((candidate) => candidate.type === focus.type && candidate.id === focus.refId);
    return { focus, change: entry ? entry.allOthers : null };
  });
  return { engagement, timeline, rounds, outcomes, change };
}

export async function saveClosingNote(db: Db, clock: Clock, coachId: string, engagementId: string, note: string): Promise<void> {
  const engagement = await getEngagement(db, coachId, engagementId);
  await updateClosingNote(db, engagement.id, note, clock.now().toISOString());
}
