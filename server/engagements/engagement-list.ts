import type { Db } from '../db/schema';
import { decodeCursor } from '../lists';
import { latestRoundsWithProgress } from '../rounds/round-progress';
import { ENGAGEMENT_POSITION, listEngagements } from './engagements.service';
import type { EngagementFilter } from './engagements.types';

export const ENGAGEMENT_PAGE_SIZE = 25;

/**
 * A page of the coach's engagement list: each engagement with its stage, its current (latest)
 * round and that round's response rate. Three statements for the page, however long the list.
 */
export async function engagementListPage(db: Db, coachId: string, filter: EngagementFilter, cursor: string | undefined) {
  const page = await listEngagements(db, coachId, filter, { after: decodeCursor(cursor, ENGAGEMENT_POSITION), limit: ENGAGEMENT_PAGE_SIZE });
  const rounds = await latestRoundsWithProgress(db, page.items.map((engagement) => engagement.id));
  return {
    next: page.next,
    engagements: page.items.map((engagement) => {
      const round = rounds.get(engagement.id);
      return {
        ...engagement,
        currentRound: round && {
          id: round.id,
          purpose: round.purpose,
          status: round.status,
          completed: round.progress.completed,
          invited: round.progress.invited,
          // A whole percentage, written by the page in the coach's language ("80 %" in French).
          rate: round.progress.invited ? Math.round(round.progress.rate * 100) : null,
        },
      };
    }),
  };
}
