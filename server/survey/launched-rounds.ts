import { LRUCache } from 'lru-cache';
import type { Db } from '../db/schema';
import type { QuestionnaireDefinition } from '../questionnaires/questionnaire-definition';
import { estimatedMinutes } from '../rounds/round-emails';
import { listRoundGroups, type RaterGroup } from '../rounds/rounds.repository';
import { findRoundSnapshot } from './survey.repository';

/** What every rater of a launched round sees alike. */
export interface LaunchedRound {
  questionnaire: QuestionnaireDefinition;
  groups: RaterGroup[];
  minutes: number | null;
  /** The questions without answers, rendered by the survey page on first use. */
  blankQuestionsHtml?: string;
}

/**
 * A launched round's questionnaire and groups never change: the questionnaire is frozen into the
 * round at launch, and groups can only be edited in a draft. Reading and parsing them was most of
 * the cost of opening a link, so each app keeps the most recently used rounds here, keyed by round
 * and launch time. Nothing here is per rater, so nothing here can leak between raters.
 * lru-cache's `fetch` reads a round once however many of its links are opened at the same moment,
 * and keeps nothing when the round is missing or the read fails.
 */
export class LaunchedRounds {
  private readonly cache: LRUCache<string, LaunchedRound, { db: Db; roundId: string }>;

  constructor(capacity = 200) {
    this.cache = new LRUCache({ max: capacity, fetchMethod: (_key, _stale, { context }) => loadLaunchedRound(context.db, context.roundId) });
  }

  get(db: Db, roundId: string, launchedAt: string): Promise<LaunchedRound | undefined> {
    return this.cache.fetch(`${roundId}@${launchedAt}`, { context: { db, roundId } });
  }
}

async function loadLaunchedRound(db: Db, roundId: string): Promise<LaunchedRound | undefined> {
  const [questionnaire, groups] = await Promise.all([findRoundSnapshot(db, roundId), listRoundGroups(db, roundId)]);
  return questionnaire ? { questionnaire, groups, minutes: estimatedMinutes(questionnaire) } : undefined;
}
