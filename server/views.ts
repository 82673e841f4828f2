import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { isLanguage, SOURCE_LANGUAGE, type Language } from './i18n/languages';
import { createTranslators, loadCatalogues, type Translator } from './i18n/translator';
import { cssString } from './branding/css-string';
import { writeMessagesIn } from './i18n/template-messages';

export type TemplateData = Record<string, unknown>;

export interface Views {
  /** A page inside the main layout (or another layout named by `layout`). */
  page(name: string, data: TemplateData, layout?: string): string;
  /** A page template on its own, without a layout: a piece of HTML another page embeds. */
  fragment(name: string, data: TemplateData): string;
  /** An email: `email/<name>.html.hbs` inside the email layout and `email/<name>.text.hbs`. */
  email(name: string, data: TemplateData): { html: string; text: string };
  /** Messages, numbers and days in one language, for text built outside a template (a subject line). */
  translator(language: Language): Translator;
}

// Days are printed as "18 Dec 2026" everywhere (pages, emails, static/enhance.js beside date
// inputs). Fixed three-letter months rather than Intl's en-GB "short" month, which newer ICU data
// spells "Sept" for September only, so one page would mix "Sept" and "Sep" depending on the Node
// build.
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// Right-to-left letters (Hebrew, Arabic, Syriac, Thaana, N'Ko...) and explicit direction controls.
const NEEDS_ISOLATION = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFC\u202A-\u202E\u2066-\u2069\u200F\u061C]/;
const FIRST_STRONG_ISOLATE = '\u2068';
const POP_DIRECTIONAL_ISOLATE = '\u2069';

/**
 * Isolates, for the Unicode bidi algorithm, every string of template data that could change the
 * direction of the text around it: a right-to-left name, or a U+202E that would reverse the rest of
 * a heading. Each such string is wrapped in FSI … PDI, which works in HTML text, attributes and
 * plain-text emails alike (and ends any embedding or override left open inside it). Strings that
 * start with markup are ours (fragments rendered from templates, which isolated their own data)
 * and left alone, as are strings isolated already. Data with nothing to isolate is returned as it
 * is, without a copy.
 *
 * @example
 * isolateBidi({ organisation: 'Acme\u202E Ltd' }); // { organisation: '\u2068Acme\u202E Ltd\u2069' }
 */
export function isolateBidi<T>(data: T): T {
  return needsIsolation(data, new Set()) ? (isolated(data, new Map()) as T) : data;
}

function isPlain(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return Array.isArray(value) || prototype === Object.prototype || prototype === null;
}

function stringNeedsIsolation(value: string): boolean {
  const ours = value.startsWith('<') || (value.startsWith(FIRST_STRONG_ISOLATE) && value.endsWith(POP_DIRECTIONAL_ISOLATE));
  return !ours && NEEDS_ISOLATION.test(value);
}

function needsIsolation(value: unknown, seen: Set<object>): boolean {
  if (typeof value === 'string') return stringNeedsIsolation(value);
  if (value === null || typeof value !== 'object' || seen.has(value) || !isPlain(value)) return false;
  seen.add(value);
  return Object.values(value).some((inner) => needsIsolation(inner, seen));
}

function isolated(value: unknown, copies: Map<object, unknown>): unknown {
  if (typeof value === 'string') return stringNeedsIsolation(value) ? `${FIRST_STRONG_ISOLATE}${value}${POP_DIRECTIONAL_ISOLATE}` : value;
  if (value === null || typeof value !== 'object' || !isPlain(value)) return value;
  if (copies.has(value)) return copies.get(value);
  const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [] : {};
  copies.set(value, copy);
  for (const [key, inner] of Object.entries(value)) (copy as Record<string, unknown>)[key] = isolated(inner, copies);
  return copy;
}

/** Text as a template's {{value}} prints it in HTML. */
export function escapeHtml(text: string): string {
  return Handlebars.Utils.escapeExpression(text);
}

/** Text safe inside <script type="application/json">: nothing in it can close the element. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value ?? null)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const otherDayFormats = new Map<Language, Intl.DateTimeFormat>();

/**
 * A calendar day ("2026-12-18") or an instant, as "18 Dec 2026" (the UTC day), or as `language`
 * writes it ("18 déc. 2026", "18. Dez. 2026"); '' for anything else.
 */
export function formatDay(value: unknown, language: Language = SOURCE_LANGUAGE): string {
  const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value.length === 10 ? `${value}T00:00:00Z` : value) : null;
  if (!date || Number.isNaN(date.getTime())) return '';
  if (language === SOURCE_LANGUAGE) return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
  let format = otherDayFormats.get(language);
  if (!format) {
    format = new Intl.DateTimeFormat(language, { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
    otherDayFormats.set(language, format);
  }
  return format.format(date);
}

/** An instant as "4 Dec 2026, 14:32 UTC" (minutes, in UTC, which the coach's browser does not change), its day as `language` writes it; '' for anything else. */
export function formatMoment(value: unknown, language: Language = SOURCE_LANGUAGE): string {
  const day = formatDay(value, language);
  if (!day || typeof value === 'string' && value.length === 10) return day;
  const date = new Date(value as string | Date);
  return `${day}, ${String(date.getUTCHours()).padStart(2, '0')}:${String(date.getUTCMinutes()).padStart(2, '0')} UTC`;
}

/** The language a template is rendered in: its data's `language`, English when it has none. */
function languageOf(options: unknown): Language {
  const language = (options as { data?: { root?: { language?: unknown } } } | undefined)?.data?.root?.language;
  return isLanguage(language) ? language : SOURCE_LANGUAGE;
}

/** A helper's last argument is Handlebars' options; the ones before it are the template's. */
function splitHelperArguments(args: unknown[]): { values: unknown[]; options: { hash: Record<string, unknown> } } {
  return { values: args.slice(0, -1), options: args.at(-1) as { hash: Record<string, unknown> } };
}

function registerHelpers(hbs: typeof Handlebars, assetUrl: (name: string) => string, translate: (language: Language) => Translator): void {
  // {{t "survey.next"}}, {{t "survey.progress" current=3 total=8}}: the message in the page's language.
  hbs.registerHelper('t', (...args: unknown[]) => {
    const { values, options } = splitHelperArguments(args);
    return translate(languageOf(options)).t(String(values[0]), options.hash as never);
  });
  hbs.registerHelper('asset', (name: unknown) => new hbs.SafeString(assetUrl(String(name))));
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hbs.registerHelper('ne', (a: unknown, b: unknown) => a !== b);
  hbs.registerHelper('not', (a: unknown) => !a);
  hbs.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
  hbs.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  hbs.registerHelper('gt', (a: unknown, b: unknown) => Number(a) > Number(b));
  hbs.registerHelper('inc', (value: unknown) => Number(value) + 1);
  hbs.registerHelper('day', (value: unknown, options: unknown) => formatDay(value, languageOf(options)));
  hbs.registerHelper('json', (value: unknown) => new hbs.SafeString(jsonForScript(value)));
  hbs.registerHelper('cssString', (value: unknown) => new hbs.SafeString(cssString(value)));
  const fixed = (value: unknown, digits: unknown, options: unknown): string | null =>
    typeof value === 'number' && Number.isFinite(value) ? translate(languageOf(options)).number(value, typeof digits === 'number' ? digits : 2) : null;
  hbs.registerHelper('fixed', (...args: unknown[]) => {
    const { values, options } = splitHelperArguments(args);
    return fixed(values[0], values[1], options) ?? '–';
  });
  hbs.registerHelper('signed', (...args: unknown[]) => {
    const { values, options } = splitHelperArguments(args);
    const text = fixed(values[0], values[1], options);
    if (text === null) return '–';
    return (values[0] as number) > 0 ? `+${text}` : text.replace('-', '−');
  });
  hbs.registerHelper('asPercent', (value: unknown) =>
    typeof value === 'number' && Number.isFinite(value) ? `${Math.round(value * 100)}%` : '–',
  );
  hbs.registerHelper('plural', (count: unknown, singular: string, pluralForm: unknown) =>
    Number(count) === 1 ? singular : typeof pluralForm === 'string' ? pluralForm : `${singular}s`,
  );
  hbs.registerHelper('lookupField', (object: unknown, key: unknown) =>
    object && typeof object === 'object' && typeof key === 'string' ? (object as Record<string, unknown>)[key] : undefined,
  );
  hbs.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).join(''));
  hbs.registerHelper('array', (...args: unknown[]) => args.slice(0, -1));
}

function listTemplates(directory: string, extension: string): string[] {
  if (!fs.existsSync(directory)) return [];
  return fs
    .readdirSync(directory, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith(extension))
    .map((file) => file.split(path.sep).join('/'));
}

/** Templates that print HTML escape what they print; plain-text emails do not (escaping would show "&amp;" to the reader). */
type Escaping = 'html' | 'text';

/**
 * Every template is compiled once per language and escaping, on first use, with the messages that
 * take no values written in as text (server/i18n/template-messages.ts), each set with its own
 * Handlebars instance and partials compiled the same way: a plain-text email's partials are never
 * escaped, a page's always are. Sources are read at start (a missing template is a start-up error,
 * not a 500 later), and every app has its own instances, so tests can build several side by side.
 */
export function createViews(viewsDir: string, assetUrl: (name: string) => string): Views {
  const translate = createTranslators(loadCatalogues(path.join(viewsDir, 'locales')));
  const partialSources = new Map<string, string>();
  for (const file of listTemplates(path.join(viewsDir, 'partials'), '.hbs')) {
    partialSources.set(file.replace(/\.hbs$/, ''), fs.readFileSync(path.join(viewsDir, 'partials', file), 'utf8'));
  }
  const sources = new Map<string, string>();
  for (const folder of ['layouts', 'pages', 'email']) {
    for (const file of listTemplates(path.join(viewsDir, folder), '.hbs')) {
      sources.set(`${folder}/${file.replace(/\.hbs$/, '')}`, fs.readFileSync(path.join(viewsDir, folder, file), 'utf8'));
    }
  }
  const sets = new Map<string, TemplateSet>();
  const setFor = (language: Language, escaping: Escaping): TemplateSet => {
    let set = sets.get(`${language}:${escaping}`);
    if (!set) {
      set = templateSet(translate(language), escaping, partialSources, (hbs) => registerHelpers(hbs, assetUrl, translate));
      sets.set(`${language}:${escaping}`, set);
    }
    return set;
  };
  const template = (name: string, data: TemplateData): Handlebars.TemplateDelegate => {
    const source = sources.get(name);
    if (source === undefined) throw new Error(`Unknown template ${name}`);
    const language = isLanguage(data.language) ? data.language : SOURCE_LANGUAGE;
    return setFor(language, name.endsWith('.text') ? 'text' : 'html').compiled(name, source);
  };
  return {
    page(name, raw, layout = 'main') {
      const data = isolateBidi(raw);
      const body = template(`pages/${name}`, data)(data);
      return template(`layouts/${layout}`, data)({ ...data, body });
    },
    fragment(name, raw) {
      const data = isolateBidi(raw);
      return template(`pages/${name}`, data)(data);
    },
    email(name, raw) {
      const data = isolateBidi(raw);
      const html = template('layouts/email', data)({ ...data, body: template(`email/${name}.html`, data)(data) });
      const text = template(`email/${name}.text`, data)(data);
      return { html, text };
    },
    translator: translate,
  };
}

interface TemplateSet {
  /** The template `name` compiled for this set (once; later calls return the same function). */
  compiled(name: string, source: string): Handlebars.TemplateDelegate;
}

/** The templates of one language and escaping: a Handlebars instance with the helpers and partials compiled for it. */
function templateSet(translator: Translator, escaping: Escaping, partialSources: Map<string, string>, withHelpers: (hbs: typeof Handlebars) => void): TemplateSet {
  const hbs = Handlebars.create();
  withHelpers(hbs);
  const compile = (source: string): Handlebars.TemplateDelegate =>
    hbs.compile(writeMessagesIn(hbs.parseWithoutProcessing(source), translator, escaping === 'html'), { noEscape: escaping === 'text', preventIndent: true });
  for (const [name, source] of partialSources) {
    let partial: Handlebars.TemplateDelegate | undefined;
    hbs.registerPartial(name, ((context: unknown, options?: Handlebars.RuntimeOptions) => (partial ??= compile(source))(context, options)) as Handlebars.TemplateDelegate);
  }
  const templates = new Map<string, Handlebars.TemplateDelegate>();
  return {
    compiled(name, source) {
      let compiled = templates.get(name);
      if (!compiled) {
        compiled = compile(source);
        templates.set(name, compiled);
      }
      return compiled;
    },
  };
}
