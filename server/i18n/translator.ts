import fs from 'node:fs';
import path from 'node:path';
import { IntlMessageFormat, type PrimitiveType } from 'intl-messageformat';
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
    return {
      language,
      t: (key, values) => String(message(key).format(values)),
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
