import { LRUCache } from 'lru-cache';
import type { Db } from '../db/schema';
import type { Language } from '../i18n/languages';
import type { QuestionnaireDefinition } from '../questionnaires/questionnaire-definition';
import { coveredLanguages, localizedQuestionnaire } from '../questionnaires/questionnaire-languages';
import { estimatedMinutes } from '../rounds/round-emails';
import { listRoundGroups, type RaterGroup } from '../rounds/rounds.repository';
import { findRoundSnapshot } from './survey.repository';

/** What every rater of a launched round reading it in one language sees alike. */
export interface LaunchedRound {
  /** The questionnaire as frozen at launch, in its own language with its translations. */
  questionnaire: QuestionnaireDefinition;
  groups: RaterGroup[];
  minutes: number | null;
  /** The languages the questionnaire fully covers: those a rater can switch the survey to. */
  languages: Language[];
  /** `language` if the questionnaire covers it, else its own language (a rater is never shown a half-translated survey). */
  readableIn(language: Language): Language;
  /** The questionnaire in a covered language, built once per language. */
  questionnaireIn(language: Language): QuestionnaireDefinition;
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
  return questionnaire ? launchedRound(questionnaire, groups) : undefined;
}

export function launchedRound(questionnaire: QuestionnaireDefinition, groups: RaterGroup[]): LaunchedRound {
  const languages = coveredLanguages(questionnaire);
  const localized = new Map<Language, QuestionnaireDefinition>();
  const readableIn = (language: Language) => (languages.includes(language) ? language : languages[0]!);
  return {
    questionnaire,
    groups,
    minutes: estimatedMinutes(questionnaire),
    languages,
    readableIn,
    questionnaireIn(language) {
      const readable = readableIn(language);
      let inLanguage = localized.get(readable);
      if (!inLanguage) {
        inLanguage = localizedQuestionnaire(questionnaire, readable);
        localized.set(readable, inLanguage);
      }
      return inLanguage;
    },
  };
}
