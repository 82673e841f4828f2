import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApiToken } from '../../server/api/api-tokens.service';
import { InvalidError } from '../../server/errors';
import { z } from 'zod';
import { requiredText, saying } from '../../server/http/fields';
import { fieldLabelKey, inWords, inWordsThroughout, Phrase } from '../../server/i18n/phrase';
import { LANGUAGES } from '../../server/i18n/languages';
import { createTranslators, loadCatalogues } from '../../server/i18n/translator';
import { newRoundValues, roundFormSchema } from '../../server/rounds/round-form';
import { assertFutureDeadline, DEFAULT_GROUPS } from '../../server/rounds/round-settings';
import { DATABASE_KINDS } from '../helpers/databases';
import { signedInCoachPerSuite } from '../helpers/suite';

/**
 * Form validation messages in the reader's language: a French or German coach's forms name the
 * field in their language, an English coach's and the API's bodies are as they always were.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const catalogues = loadCatalogues(path.join(ROOT, 'views/locales'));
const translators = createTranslators(catalogues);
const NBSP = '\u00a0';

/** Every .ts file under server/, by its path from the repository's root. */
function serverSources(directory = path.join(ROOT, 'server')): { file: string; text: string }[] {
  return fs.readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return serverSources(full);
    return entry.name.endsWith('.ts') ? [{ file: path.relative(ROOT, full), text: fs.readFileSync(full, 'utf8') }] : [];
  });
}

/** A call's arguments as written, split at its top-level commas (not those inside quotes or brackets). */
function splitArguments(args: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let current = '';
  for (let index = 0; index < args.length; index += 1) {
    const char = args[index]!;
    if (quote) {
      current += char;
      if (char === '\\') current += args[(index += 1)] ?? '';
      else if (char === quote) quote = null;
      continue;
    }
    if (char === "'" || char === '"' || char === '`') quote = char;
    if ('([{'.includes(char)) depth += 1;
    if (')]}'.includes(char)) depth -= 1;
    if (char === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else current += char;
  }
  return [...parts, current.trim()].filter(Boolean);
}

/**
 * The label of every call of a building block of server/http/fields.ts (and of branding's oneLine,
 * which passes its label on): a string literal, or the expression written there when it is not one.
 * The label is the argument after the maximum (text, requiredText, oneLine) or the only one.
 */
function labelsAtCallSites(): { literal: string[]; other: string[] } {
  const call = /(?<!function )\b(text|requiredText|emailAddress|calendarDay|newPassword|oneLine)\(([^()]*(?:\([^()]*\)[^()]*)*)\)/g;
  const literal = new Set<string>();
  const other = new Set<string>();
  for (const { file, text } of serverSources()) {
    if (file === path.join('server', 'http', 'fields.ts')) continue;
    for (const match of text.matchAll(call)) {
      const args = splitArguments(match[2]!);
      const takesMaximum = ['text', 'requiredText', 'oneLine'].includes(match[1]!);
      const label = takesMaximum ? args[1] : args[0];
      if (label === undefined) continue;
      const quoted = /^'((?:[^'\\]|\\.)*)'$/.exec(label);
      if (quoted) literal.add(quoted[1]!.replace(/\\(.)/g, '$1'));
      else other.add(`${file}: ${label}`);
    }
  }
  return { literal: [...literal].sort(), other: [...other].sort() };
}

describe('field labels', () => {
  it('have a catalogue entry each, so that no field of server/ stays English in a translated message', () => {
    const { literal, other } = labelsAtCallSites();
    expect(literal).toContain('Client name');
    expect(literal).toContain('Practice name');
    // Labels that are not written out: a building block's own parameter passed on, and the round
    // form's group labels (DEFAULT_GROUPS, added below). A new one must be added here, with its values.
    expect(other).toEqual([
      'server/branding/branding.routes.ts: label',
      'server/rounds/round-form.ts: `${group.label} label`',
    ]);
    const defaults = ['Email', 'Date', 'Password'];
    const labels = [...literal, ...defaults, ...DEFAULT_GROUPS.map((group) => `${group.label} label`)];
    const missing = labels.filter((label) => !(fieldLabelKey(label) in catalogues.en));
    expect(missing).toEqual([]);
  });

  it('are keyed by their words in camelCase, whatever their case and punctuation', () => {
    expect(fieldLabelKey('Client name')).toBe('field.label.clientName');
    expect(fieldLabelKey('clientName')).toBe('field.label.clientName');
    expect(fieldLabelKey("The client's name")).toBe('field.label.theClientsName');
    expect(fieldLabelKey('The "not able to rate" label')).toBe('field.label.theNotAbleToRateLabel');
    expect(fieldLabelKey('Reply-to address')).toBe('field.label.replyToAddress');
  });
});

describe('a phrase made of phrases', () => {
  const translate = createTranslators(loadCatalogues(path.resolve('views/locales')));
  const gaps = (...languages: Array<[string, number]>) =>
    new Phrase('error.round.languagesNotCovered', { gaps: languages.map(([language, missing]) => new Phrase('error.round.languageGap', { language, missing })) });

  it('puts each into words in the reader\'s language and joins a list as that language writes one', () => {
    const three = gaps(['fr', 12], ['de', 1], ['nl', 3]);
    expect(String(three)).toBe('The questionnaire is not fully translated into French (12 texts missing), German (1 text missing) and Dutch (3 texts missing): translate it, or choose other languages for those raters.');
    expect(inWords(three, translate('fr'))).toBe('Le questionnaire n’est pas entièrement traduit dans ces langues\u00a0: français (12 textes manquants), allemand (1 texte manquant) et néerlandais (3 textes manquants). Traduisez-le, ou choisissez d’autres langues pour ces évaluateurs.');
    expect(inWords(gaps(['es', 2], ['en', 1]), translate('de'))).toBe('Der Fragebogen ist in diese Sprachen nicht vollständig übersetzt: Spanisch (2 Texte fehlen) und Englisch (1 Text fehlt). Übersetzen Sie ihn, oder wählen Sie für diese Bewertenden andere Sprachen.');
    expect(inWords(gaps(['fr', 1]), translate('es'))).toBe('El cuestionario no está traducido por completo a estos idiomas: francés (falta 1 texto). Tradúzcalo o elija otros idiomas para esos evaluadores.');
    expect(inWords(gaps(['de', 4], ['fr', 2]), translate('nl'))).toBe('De vragenlijst is niet volledig vertaald in deze talen: Duits (4 teksten ontbreken) en Frans (2 teksten ontbreken). Vertaal hem, of kies andere talen voor deze beoordelaars.');
  });
});

describe('a validation message', () => {
  const issue = (input: unknown) => {
    const result = requiredText(120, 'Client name').safeParse(input);
    if (result.success) throw new Error('expected an issue');
    return result.error.issues[0]!.message as unknown;
  };

  it('reads as the English it always was wherever it is taken as a string: JSON, a template string, the command line', () => {
    const message = issue('');
    expect(message).toBeInstanceOf(Phrase);
    expect(`${message as string}`).toBe('Client name is required.');
    expect(JSON.stringify({ clientName: message })).toBe('{"clientName":"Client name is required."}');
    expect(String(issue('x'.repeat(121)))).toBe('Client name can be at most 120 characters.');
    expect(String(issue(42))).toBe('Client name must be text.');
    expect(String(issue('a\u0000b'))).toBe('Client name contains characters that are not allowed.');
  });

  it('names the field in the reader\'s language, in each of the five', () => {
    const words = Object.fromEntries(LANGUAGES.map((language) => [language, inWords(issue('') as Phrase, translators(language))]));
    expect(words).toEqual({
      en: 'Client name is required.',
      fr: `Le champ «${NBSP}Nom du client${NBSP}» est obligatoire.`,
      de: 'Das Feld „Name des Klienten“ muss ausgefüllt werden.',
      es: 'El campo «Nombre del cliente» es obligatorio.',
      nl: 'Het veld ‘Naam van de cliënt’ is verplicht.',
    });
    expect(inWords(issue('x'.repeat(121)) as Phrase, translators('de'))).toBe('Das Feld „Name des Klienten“ darf höchstens 120 Zeichen lang sein.');
  });

  it('says "this field" without a label, and keeps a label the catalogues do not have as it was written', () => {
    const unlabelled = requiredText(10).safeParse('');
    expect(String(unlabelled.error!.issues[0]!.message)).toBe('This field is required.');
    expect(inWords(unlabelled.error!.issues[0]!.message, translators('fr'))).toBe('Ce champ est obligatoire.');
    expect(inWords(new Phrase('validation.required', {}, 'Shoe size'), translators('es'))).toBe('El campo «Shoe size» es obligatorio.');
  });
});

describe("a form's own rules", () => {
  it('are Phrases too: a choice, k, a group minimum and one-line names in the reader\'s language, their English unchanged', () => {
    const first = (result: { success: boolean; error?: { issues: Array<{ message: unknown }> } }) => result.error!.issues[0]!.message as Phrase;
    const k = first(roundFormSchema.safeParse({ ...newRoundValues(new Date('2026-12-04T00:00:00Z'), 'q', 'en'), k: '1' }));
    expect(String(k)).toBe('k must be at least 2.');
    expect(inWords(k, translators('de'))).toBe('k muss mindestens 2 sein.');
    const minimum = first(roundFormSchema.safeParse({ ...newRoundValues(new Date('2026-12-04T00:00:00Z'), 'q', 'en'), 'g.2.minimum': '0' }));
    expect(String(minimum)).toBe('Peers: the minimum is at least 1.');
    expect(inWords(minimum, translators('fr'))).toBe(`Pairs${NBSP}: le minimum vaut au moins 1.`);
    expect(inWords(minimum, translators('nl'))).toBe('Collega’s: het minimum is minstens 1.');
    const stage = first(z.enum(['contracting'], saying('validation.stage')).safeParse('nowhere'));
    expect(String(stage)).toBe('Choose one of the stages.');
    expect(inWords(stage, translators('es'))).toBe('Elija una de las etapas.');
  });
});

describe("a page's data", () => {
  it('has its Phrases put into words at any depth, shared ones alike, and is left as it is without any', () => {
    const errors = { name: new Phrase('validation.required', {}, 'Name') };
    const data = { title: 'Plan', errors, actions: [{ id: 'a', errors }, { id: 'b', errors: {} }], when: new Date(0) };
    const worded = inWordsThroughout(data, translators('nl'));
    expect(worded.errors.name).toBe('Het veld ‘Naam’ is verplicht.');
    expect(worded.actions[0]!.errors).toBe(worded.errors);
    expect(worded.actions[1]).toBe(data.actions[1]);
    expect(worded.when).toBe(data.when);
    expect(data.errors.name).toBeInstanceOf(Phrase);
    const plain = { title: 'Plan', actions: [{ id: 'a' }] };
    expect(inWordsThroughout(plain, translators('nl'))).toBe(plain);
  });
});

describe("a service's rule", () => {
  it('refuses with a Phrase: English as a string (the API, the logs), the reader\'s language on a page', () => {
    let refused: unknown;
    try {
      assertFutureDeadline('2020-01-01', new Date('2026-12-04T12:00:00Z'));
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(InvalidError);
    const { message, fields } = refused as InvalidError;
    expect(message).toBe('The deadline must be today or later.');
    expect(JSON.stringify(fields)).toBe('{"deadlineDay":"The deadline must be today or later."}');
    expect(inWords(fields.deadlineDay!, translators('fr'))).toBe('La date limite doit être aujourd’hui ou plus tard.');
    expect(inWords((refused as InvalidError).phrase, translators('nl'))).toBe('De uiterste datum moet vandaag of later zijn.');
  });
});

describe.each(DATABASE_KINDS)('validation messages on pages and in the API (%s)', (kind) => {
  const suite = signedInCoachPerSuite(kind);
  const invalidEngagement = { clientName: '', clientEmail: 'not an email', organisation: '', role: '', startDate: '2026-02-30', notes: '', stage: 'assessment', language: 'en' };

  it("shows an English coach's form errors in English, as before", async () => {
    const page = await suite.browser.post('/engagements', invalidEngagement);
    expect(page.status).toBe(422);
    expect(page.text).toContain('Client name is required.');
    expect(page.text).toContain('Client email must be a valid email address, like name@example.com.');
    expect(page.text).toContain('Start date is not a real date.');
  });

  it("answers the API's 422 in English, exactly as before, whatever the coach's language", async () => {
    await suite.context.db.updateTable('coaches').set({ language: 'fr' }).where('id', '=', suite.coach.id).execute();
    const { token } = await createApiToken(suite.context.db, suite.context.clock, suite.coach.id, 'validation test');
    const response = await suite.context.app.request('/api/v1/engagements', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'accept-language': 'fr' },
      body: JSON.stringify({ clientName: '', clientEmail: 'nope', notes: 'n'.repeat(5001), startDate: '2026-02-30', organisation: 7 }),
    });
    expect(response.status).toBe(422);
    expect(await response.json()).toEqual({
      error: {
        code: 'invalid',
        message: 'Some fields are invalid.',
        details: {
          clientName: 'clientName is required.',
          clientEmail: 'clientEmail must be a valid email address, like name@example.com.',
          notes: 'notes can be at most 5000 characters.',
          startDate: 'startDate is not a real date.',
          organisation: 'organisation must be text.',
        },
      },
    });
  });

  it("shows a French coach's form errors in French, each field named in French, and no English", async () => {
    const page = await suite.browser.post('/engagements', invalidEngagement);
    expect(page.status).toBe(422);
    expect(page.text).toContain('<html lang="fr">');
    expect(page.text).toContain(`Le champ «${NBSP}Nom du client${NBSP}» est obligatoire.`);
    expect(page.text).toContain(`Le champ «${NBSP}E-mail du client${NBSP}» doit contenir une adresse e-mail valide, par exemple nom@example.com.`);
    expect(page.text).toContain(`Le champ «${NBSP}Date de début${NBSP}» ne correspond pas à une date existante.`);
    expect(page.text).toContain('(facultatif)');
    expect(page.text).not.toContain('is required');
    expect(page.text).not.toContain('(optional)');
  });

  it("shows a German coach's account form errors in German", async () => {
    await suite.context.db.updateTable('coaches').set({ language: 'de' }).where('id', '=', suite.coach.id).execute();
    const mismatch = await suite.browser.post('/account/password', { currentPassword: '', newPassword: 'short', confirmPassword: 'other' });
    expect(mismatch.status).toBe(422);
    expect(mismatch.text).toContain('Geben Sie Ihr aktuelles Passwort ein.');
    expect(mismatch.text).toContain('Das Feld „Neues Passwort“ muss mindestens 10 Zeichen lang sein.');
    // A rule of the service (the current password is checked there) is phrased in German too.
    const wrong = await suite.browser.post('/account/password', { currentPassword: 'not my password', newPassword: 'a long new password', confirmPassword: 'a long new password' });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('Das aktuelle Passwort ist nicht korrekt.');
    const token = await suite.browser.post('/account/api-tokens', { name: '' });
    expect(token.status).toBe(422);
    expect(token.text).toContain('Das Feld „Name des Tokens“ muss ausgefüllt werden.');
    const language = await suite.browser.post('/account/language', { language: 'tlh' });
    expect(language.text).toContain('Wählen Sie eine der angebotenen Sprachen.');
    expect(language.text).not.toContain('Choose one of the languages.');
  });
});
