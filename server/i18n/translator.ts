import fs from 'node:fs';
import path from 'node:path';
import { IntlMessageFormat, type PrimitiveType } from 'intl-messageformat';
import { LRUCache } from 'lru-cache';
import { LANGUAGES, SOURCE_LANGUAGE, type Language } from './languages';

/** Messages of one language by key ("survey.next"), in ICU message format. */
export type Catalogue = Record<string, string>;

export type Catalogues = Record<Language, Catalogue>;

export type MessageValues = Record<string, PrimitiveType | Date>;

/** Reads views/locales/<language>.json for every language; a missing or malformed file stops the start. */
export function loadCatalogues(localesDir: string): Catalogues {
  const catalogues = {} as Catalogues;
  for (const language of LANGUAGES) {
    const parsed: unknown = JSON.parse(fs.readFileSync(path.join(localesDir, `${language}.json`), 'utf8'));
    if (!parsed || typeof parsed !== 'object' || Object.values(parsed).some((message) => typeof message !== 'string')) {
      throw new Error(`${language}.json must map each key to a message`);
    }
    catalogues[language] = parsed as Catalogue;
  }
  return catalogues;
}

export interface Translator {
  language: Language;
  /** The message `key` in this language with its arguments; an unknown key is a programming error. */
  t(key: string, values?: MessageValues): string;
  /** A number with exactly `digits` decimals and this language's decimal separator ("4,25" in French and German). */
  number(value: number, digits?: number): string;
}

/**
 * Translators per language over one set of catalogues. Each message is compiled once, on first
 * use, and kept: formatting a compiled message costs about what string concatenation does.
 */
/** Formatted messages with values kept per language: a few hundred kilobytes at most. */
const FORMATTED_WITH_VALUES = 2000;

function isEmpty(values: MessageValues): boolean {
  for (const _ in values) return false;
  return true;
}

export function createTranslators(catalogues: Catalogues): (language: Language) => Translator {
  const translators = new Map<Language, Translator>();
  const build = (language: Language): Translator => {
    const compiled = new Map<string, IntlMessageFormat>();
    // toFixed's rounding in every language, so a figure rounds alike in each (Intl rounds the
    // decimal the double prints as: 1.005 would be 1.01 in French and 1.00 in English).
    const decimalSeparator = new Intl.NumberFormat(language).formatToParts(1.5).find((part) => part.type === 'decimal')?.value ?? '.';
    const message = (key: string): IntlMessageFormat => {
      let format = compiled.get(key);
      if (!format) {
        const source = catalogues[language][key] ?? catalogues[SOURCE_LANGUAGE][key];
        if (source === undefined) throw new Error(`Unknown message ${key}`);
        format = new IntlMessageFormat(source, language);
        compiled.set(key, format);
      }
      return format;
    };
    // Formatting costs microseconds a message (IntlMessageFormat serialises its arguments to find
    // its cached Intl formatters on every call), and a page asks for the same messages with the
    // same values over and over (a survey page for each of a round's raters): the words are kept,
    // for every message without values and for the most recent ones with.
    const plain = new Map<string, string>();
    const withValues = new LRUCache<string, string>({ max: FORMATTED_WITH_VALUES });
    return {
      language,
      t: (key, values) => {
        if (values === undefined || isEmpty(values)) {
          let words = plain.get(key);
          if (words === undefined) {
            words = String(message(key).format());
            plain.set(key, words);
          }
          return words;
        }
        const cacheKey = `${key}\u0000${JSON.stringify(values)}`;
        let words = withValues.get(cacheKey);
        if (words === undefined) {
          words = String(message(key).format(values));
          withValues.set(cacheKey, words);
        }
        return words;
      },
      number: (value, digits = 2) => value.toFixed(digits).replace('.', decimalSeparator),
    };
  };
  return (language) => {
    let translator = translators.get(language);
    if (!translator) {
      translator = build(language);
      translators.set(language, translator);
    }
    return translator;
  };
}
