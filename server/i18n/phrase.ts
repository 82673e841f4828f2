import englishMessages from '../../views/locales/en.json' with { type: 'json' };
import { createTranslators, type Catalogue, type Catalogues, type Translator } from './translator';
import { SOURCE_LANGUAGE, type Language } from './languages';

export type PhraseValues = Record<string, string | number>;

/**
 * What a phrase's message is given: words and numbers, or phrases of their own, put into words in
 * the same language; a list of phrases is joined as that language writes a list ("French and
 * Dutch", "français et néerlandais").
 */
export type PhraseArguments = Record<string, string | number | Phrase | readonly Phrase[]>;

/**
 * A message put into words only when someone reads it, in their language: a catalogue key, its
 * values and, for a form field's message, the field's English label (its translation is the
 * catalogue's `field.label.<key>`, see fieldLabelKey). Validation messages and errors are made
 * before anyone knows who will read them (a schema is shared by a French coach's page, an English
 * API body, the command line), so they carry this instead of text.
 *
 * It is a String whose value is the English text: whatever reads it as a string (the API's JSON
 * bodies, a log line, the command line, a template rendered without translating it) gets exactly
 * the English it got before. Pages put it into the reader's words with `inWords` (render does, for
 * every phrase in a page's data).
 */
export class Phrase extends String {
  constructor(
    readonly key: string,
    readonly values: PhraseArguments = {},
    readonly label?: string,
  ) {
    super(wordsOf(key, values, label, english()));
  }
}

/**
 * A Phrase where a message is typed as a string (zod's issues, FieldErrors, a list's line errors):
 * it reads as its English there, and render puts it into the page's words.
 */
export function asText(phrase: Phrase): string {
  return phrase as unknown as string;
}

/** The catalogue key of a field label: `field.label.` and the English label in camelCase ("Client name", "clientName" → field.label.clientName). */
export function fieldLabelKey(label: string): string {
  const words = label.replace(/['’"]/g, '').split(/[^A-Za-z0-9]+/).filter(Boolean);
  return `field.label.${words.map((word, index) => (index === 0 ? word[0]!.toLowerCase() : word[0]!.toUpperCase()) + word.slice(1)).join('')}`;
}

/** A message as `translator`'s language writes it; text that is not a Phrase is shown as it is. */
export function inWords(message: string | String, translator: Translator): string {
  return message instanceof Phrase ? wordsOf(message.key, message.values, message.label, translator) : String(message);
}

/**
 * `data` with every Phrase in it, at any depth of its plain objects and arrays, put into words;
 * the same object when it holds none (nothing is copied then).
 */
export function inWordsThroughout<T>(data: T, translator: Translator): T {
  return inWordsWithin(data, translator, new Map()) as T;
}

// Plain loops rather than Object.entries: render walks every page's data; on report-sized data
// (about 900 objects and arrays) this took 50-120 µs a walk, Object.entries 160-220 µs (a busy
// two-core machine, scratch measurement).
function inWordsWithin(value: unknown, translator: Translator, done: Map<object, unknown>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Phrase) return inWords(value, translator);
  if (done.has(value)) return done.get(value);
  if (!isPlain(value)) return value;
  done.set(value, value);
  let copy: Record<string, unknown> | unknown[] | undefined;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index += 1) {
      const worded = inWordsWithin(value[index], translator, done);
      if (worded === value[index]) continue;
      const items: unknown[] = (copy as unknown[] | undefined) ?? value.slice();
      items[index] = worded;
      copy = items;
    }
  } else {
    const record = value as Record<string, unknown>;
    for (const key in record) {
      const worded = inWordsWithin(record[key], translator, done);
      if (worded === record[key]) continue;
      copy ??= { ...record };
      (copy as Record<string, unknown>)[key] = worded;
    }
  }
  if (copy) done.set(value, copy);
  return copy ?? value;
}

function isPlain(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return Array.isArray(value) || prototype === Object.prototype || prototype === null;
}

/**
 * The one place a phrase becomes text. A field's label is the catalogue's translation of it; in
 * English, and for a label the catalogues do not have (test/i18n/validation-messages.test.ts keeps
 * that from happening to the labels in server/), the label as the code wrote it.
 */
function wordsOf(key: string, values: PhraseArguments, label: string | undefined, translator: Translator): string {
  const worded = argumentsInWords(values, translator);
  if (label === undefined) return translator.t(key, { ...worded, hasLabel: 'no', label: '' });
  const labelKey = fieldLabelKey(label);
  const labelText = translator.language !== SOURCE_LANGUAGE && labelKey in englishCatalogue ? translator.t(labelKey) : label;
  return translator.t(key, { ...worded, hasLabel: 'yes', label: labelText });
}

function argumentsInWords(values: PhraseArguments, translator: Translator): PhraseValues {
  const worded: PhraseValues = {};
  for (const [name, value] of Object.entries(values)) {
    if (value instanceof Phrase) worded[name] = inWords(value, translator);
    else if (Array.isArray(value)) worded[name] = listFormat(translator.language).format(value.map((phrase: Phrase) => inWords(phrase, translator)));
    else worded[name] = value as string | number;
  }
  return worded;
}

const listFormats = new Map<Language, Intl.ListFormat>();

/** "A, B and C" as `language` writes it; English without the serial comma, as the catalogue's English is written (British). */
function listFormat(language: Language): Intl.ListFormat {
  let format = listFormats.get(language);
  if (!format) {
    format = new Intl.ListFormat(language === SOURCE_LANGUAGE ? 'en-GB' : language, { type: 'conjunction' });
    listFormats.set(language, format);
  }
  return format;
}

const englishCatalogue: Catalogue = englishMessages;
let englishTranslator: Translator | undefined;

/** English from the catalogue itself, so a phrase read as a string is what a page in English shows. */
function english(): Translator {
  englishTranslator ??= createTranslators({ [SOURCE_LANGUAGE]: englishCatalogue } as Catalogues)(SOURCE_LANGUAGE);
  return englishTranslator;
}
