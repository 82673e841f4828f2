/**
 * The languages raters, clients and coaches can read the application in. English is the source:
 * every other catalogue translates its messages (test/i18n/catalogues.test.ts keeps them complete).
 */
export const LANGUAGES = ['en', 'fr', 'de', 'es', 'nl'] as const;

export type Language = (typeof LANGUAGES)[number];

export const SOURCE_LANGUAGE: Language = 'en';

/** Each language in its own words, as a rater choosing it reads it. */
export const LANGUAGE_NAMES: Record<Language, string> = {
  en: 'English',
  fr: 'Français',
  de: 'Deutsch',
  es: 'Español',
  nl: 'Nederlands',
};

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}
