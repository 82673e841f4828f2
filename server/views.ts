import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';

export type TemplateData = Record<string, unknown>;

export interface Views {
  /** A page inside the main layout (or another layout named by `layout`). */
  page(name: string, data: TemplateData, layout?: string): string;
  /** A page template on its own, without a layout: a piece of HTML another page embeds. */
  fragment(name: string, data: TemplateData): string;
  /** An email: `email/<name>.html.hbs` inside the email layout and `email/<name>.text.hbs`. */
  email(name: string, data: TemplateData): { html: string; text: string };
}

// Days are printed as "18 Dec 2026" everywhere (pages, emails, static/date-echo.js beside date
// inputs). Fixed three-letter months rather than Intl's en-GB "short" month, which newer ICU data
// spells "Sept" for September only, so one page would mix "Sept" and "Sep" depending on the Node
// build.
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Text safe inside <script type="application/json">: nothing in it can close the element. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value ?? null)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** A calendar day ("2026-12-18") or an instant, as "18 Dec 2026" (the UTC day); '' for anything else. */
export function formatDay(value: unknown): string {
  const date = value instanceof Date ? value : typeof value === 'string' ? new Date(value.length === 10 ? `${value}T00:00:00Z` : value) : null;
  if (!date || Number.isNaN(date.getTime())) return '';
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

function registerHelpers(hbs: typeof Handlebars, assetUrl: (name: string) => string): void {
  hbs.registerHelper('asset', (name: unknown) => new hbs.SafeString(assetUrl(String(name))));
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  hbs.registerHelper('ne', (a: unknown, b: unknown) => a !== b);
  hbs.registerHelper('not', (a: unknown) => !a);
  hbs.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every(Boolean));
  hbs.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
  hbs.registerHelper('gt', (a: unknown, b: unknown) => Number(a) > Number(b));
  hbs.registerHelper('inc', (value: unknown) => Number(value) + 1);
  hbs.registerHelper('day', (value: unknown) => formatDay(value));
  hbs.registerHelper('json', (value: unknown) => new hbs.SafeString(jsonForScript(value)));
  hbs.registerHelper('fixed', (value: unknown, digits: unknown) =>
    typeof value === 'number' && Number.isFinite(value) ? value.toFixed(typeof digits === 'number' ? digits : 2) : '–',
  );
  hbs.registerHelper('signed', (value: unknown, digits: unknown) => {
    if (typeof value !== 'number' || !Number.isFinite(value)) return '–';
    const text = value.toFixed(typeof digits === 'number' ? digits : 2);
    return value > 0 ? `+${text}` : text.replace('-', '−');
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

/**
 * Compiles every template once at start (a missing template is a start-up error, not a 500 later)
 * with its own Handlebars instance, so tests can build several apps side by side.
 */
export function createViews(viewsDir: string, assetUrl: (name: string) => string): Views {
  const hbs = Handlebars.create();
  registerHelpers(hbs, assetUrl);
  for (const file of listTemplates(path.join(viewsDir, 'partials'), '.hbs')) {
    hbs.registerPartial(file.replace(/\.hbs$/, ''), fs.readFileSync(path.join(viewsDir, 'partials', file), 'utf8'));
  }
  const compiled = new Map<string, Handlebars.TemplateDelegate>();
  for (const folder of ['layouts', 'pages', 'email']) {
    for (const file of listTemplates(path.join(viewsDir, folder), '.hbs')) {
      const source = fs.readFileSync(path.join(viewsDir, folder, file), 'utf8');
      // Plain-text emails are not HTML: escaping would show "&amp;" to the reader.
      const noEscape = file.endsWith('.text.hbs');
      compiled.set(`${folder}/${file.replace(/\.hbs$/, '')}`, hbs.compile(source, { noEscape, preventIndent: true }));
    }
  }
  const template = (name: string): Handlebars.TemplateDelegate => {
    const found = compiled.get(name);
    if (!found) throw new Error(`Unknown template ${name}`);
    return found;
  };
  return {
    page(name, data, layout = 'main') {
      const body = template(`pages/${name}`)(data);
      return template(`layouts/${layout}`)({ ...data, body });
    },
    fragment(name, data) {
      return template(`pages/${name}`)(data);
    },
    email(name, data) {
      const html = template('layouts/email')({ ...data, body: template(`email/${name}.html`)(data) });
      const text = template(`email/${name}.text`)(data);
      return { html, text };
    },
  };
}
