import { ConflictError } from '../errors';
import { Phrase } from '../i18n/phrase';
import { isLanguage, LANGUAGES, SOURCE_LANGUAGE, type Language } from '../i18n/languages';
import { missingForLanguages, type LanguageGap } from '../questionnaires/questionnaire-languages';
import type { QuestionnaireDefinition } from '../questionnaires/questionnaire-definition';
import type { Invitation, Round } from './rounds.types';

// The languages of a round: its own (the raters' default), each rater's, which of them its
// questionnaire must cover before launch, and when a rater's language is too rare for their
// comments to stay anonymous. Pure.

/** A stored language; anything else (never written by this application) reads as the source language. */
export function languageOf(value: string): Language {
  return isLanguage(value) ? value : SOURCE_LANGUAGE;
}

/** Each language's name in the five languages, as a coach may type it in a rater list. */
const NAMES: Record<Language, string[]> = {
  en: ['English', 'Anglais', 'Englisch', 'Inglés', 'Engels'],
  fr: ['French', 'Français', 'Französisch', 'Francés', 'Frans'],
  de: ['German', 'Allemand', 'Deutsch', 'Alemán', 'Duits'],
  es: ['Spanish', 'Espagnol', 'Spanisch', 'Español', 'Castellano', 'Spaans'],
  nl: ['Dutch', 'Néerlandais', 'Niederländisch', 'Neerlandés', 'Nederlands', 'Hollandais', 'Holländisch'],
};

const simplified = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');

const BY_NAME = new Map<string, Language>(LANGUAGES.flatMap((language) => [[language, language] as const, ...NAMES[language].map((name) => [simplified(name), language] as const)]));

/**
 * The language a coach means by a code or a name in any of the five languages, ignoring case and
 * accents; undefined when it is none of them.
 *
 * @example
 * languageNamed('fr'); languageNamed('French'); languageNamed('français'); // 'fr'
 * languageNamed('Klingon'); // undefined
 */
export function languageNamed(text: string): Language | undefined {
  return BY_NAME.get(simplified(text));
}

/** The languages a round is run in (its own, and each rater's), in the order of LANGUAGES. */
export function languagesOfRound(round: Pick<Round, 'language'>, invitations: readonly Pick<Invitation, 'language'>[]): Language[] {
  const used = new Set([round.language, ...invitations.map((invitation) => invitation.language)]);
  return LANGUAGES.filter((language) => used.has(language));
}

/**
 * What keeps the round from being launched in its languages: the texts its questionnaire lacks
 * in each language a rater (or the round) reads it in. Empty when it may be launched.
 */
export function launchLanguageGaps(questionnaire: QuestionnaireDefinition, round: Pick<Round, 'language'>, invitations: readonly Pick<Invitation, 'language'>[]): LanguageGap[] {
  return missingForLanguages(questionnaire, languagesOfRound(round, invitations));
}

/**
 * Whether a rater's comments would give their language away: fewer than k raters of the round
 * (the client left out, declined raters too) read it in their language, and that is not the
 * round's own language, which is the one comments can hide in. The client's own comments are
 * theirs by name, so they are never warned.
 */
export function languageGivesAway(rater: { language: Language; self: boolean }, round: Pick<Round, 'language' | 'k'>, ratersByLanguage: ReadonlyMap<Language, number>): boolean {
  if (rater.self || rater.language === round.language) return false;
  return (ratersByLanguage.get(rater.language) ?? 0) < round.k;
}

/** Refuses to run a round in a language its questionnaire does not fully cover (the launch, a rater added to an open round). */
export function assertLanguagesCovered(questionnaire: QuestionnaireDefinition, round: Pick<Round, 'language'>, invitations: readonly Pick<Invitation, 'language'>[]): void {
  const gaps = launchLanguageGaps(questionnaire, round, invitations);
  if (!gaps.length) return;
  const missing = gaps.map((gap) => new Phrase('error.round.languageGap', { language: gap.language, missing: gap.missing.length }));
  throw new ConflictError(new Phrase('error.round.languagesNotCovered', { gaps: missing }), {
    languages: Object.fromEntries(gaps.map((gap) => [gap.language, gap.missing.length])),
  });
}
