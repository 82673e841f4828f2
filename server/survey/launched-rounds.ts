import type { Db } from '../auth/auth.repository';
import type { QuestionnaireDefinition } from '../questionnaires/questionnaire-definition';
import { estimatedMinutes } from '../rounds/round-emails';
import { listRoundGroups, type RoundGroup } from '../rounds/rounds.repository';
import { findRoundSnapshot } from './survey.repository';

/** What every rater of a launched round sees alike. */
export interface LaunchedRound {
  questionnaire: QuestionnaireDefinition;
  groups: RoundGroup[];
  minutes: number | null;
  /** The questions without answers, rendered by the survey page on first use. */
  blankQuestionsHtml?: string;
}

/**
 * A launched round's questionnaire and groups never change: the questionnaire is frozen into the
 * round at launch, and groups can only be edited in a draft. Reading and parsing them was most of
 * the cost of opening a link, so each app keeps the most recently used rounds here, keyed by round
 * and launch time. Nothing here is per rater, so nothing here can leak between raters.
 */
export class LaunchedRounds {
  private readonly entries = new Map<string, Promise<LaunchedRound | undefined>>();

  constructor(private readonly capacity = 200) {}

  get(db: Db, roundId: string, launchedAt: string): Promise<LaunchedRound | undefined> {
    const key = `${roundId}@${launchedAt}`;
    const cached = this.entries.get(key);
    if (cached) {
      // Move to the end: the Map's insertion order is the eviction order.
      this.entries.delete(key);
      this.entries.set(key, cached);
      return cached;
    }
    // The promise itself is kept, so a burst of first visits reads the round once.
    const loading = this.load(db, roundId);
    this.entries.set(key, loading);
    loading.then(
      (round) => round || this.entries.delete(key),
      () => this.entries.delete(key),
    );
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return loading;
  }

  private async load(db: Db, roundId: string): Promise<LaunchedRound | undefined> {
    const [questionnaire, groups] = await Promise.all([findRoundSnapshot(db, roundId), listRoundGroups(db, roundId)]);
    return questionnaire ? { questionnaire, groups, minutes: estimatedMinutes(questionnaire) } : undefined;
  }
}
