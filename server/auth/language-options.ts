import { LANGUAGES, LANGUAGE_NAMES } from '../i18n/languages';

/** The languages for a select (a coach's account, a client's engagement), each named in its own words. */
export function languageOptions(selected: string) {
  return LANGUAGES.map((language) => ({ language, name: LANGUAGE_NAMES[language], selected: language === selected }));
}
