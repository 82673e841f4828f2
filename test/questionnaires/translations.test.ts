import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { LEADERSHIP_360 } from '../../server/questionnaires/leadership-360';
import type { QuestionnaireDefinition } from '../../server/questionnaires/questionnaire-definition';
import { coveredLanguages, missingTranslations } from '../../server/questionnaires/questionnaire-languages';
import { DATABASE_KINDS } from '../helpers/databases';
import { inputValue } from '../helpers/http-client';
import { createCoach, signedInBrowser } from '../helpers/test-app';
import { signedInCoachPerSuite } from '../helpers/suite';

/** Text as Handlebars escapes it in a page. */
function escaped(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/'/g, '&#x27;').replace(/"/g, '&quot;').replace(/=/g, '&#x3D;');
}

describe.each(DATABASE_KINDS)('questionnaire translations in the browser (%s)', (kind) => {
  const suite = signedInCoachPerSuite(kind);

  async function definitionOf(id: string): Promise<QuestionnaireDefinition> {
    const row = await suite.context.db.selectFrom('questionnaires').select('definition').where('id', '=', id).executeTakeFirstOrThrow();
    return JSON.parse(row.definition) as QuestionnaireDefinition;
  }

  async function copyOfLeadership360(): Promise<string> {
    const response = await suite.browser.post('/questionnaires/leadership-360/copy');
    expect(response.status).toBe(303);
    return response.location!.split('/')[2]!;
  }

  /** Follows a redirect and returns the page it leads to. */
  async function follow(response: { status: number; location: string | null }) {
    expect(response.status).toBe(303);
    return suite.browser.get(response.location!);
  }

  it('shows which languages Leadership 360 covers and previews it in each', async () => {
    const page = await suite.browser.get('/questionnaires/leadership-360');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Written in English. Raters can answer in every language marked complete');
    expect(page.text.match(/badge badge-ok">Complete</g)).toHaveLength(4);
    expect(page.text).toContain('<span class="badge badge-brand">Own language</span>');
    // Nobody translates a built-in questionnaire in place.
    expect(page.text).not.toContain('/translations/fr"');

    const german = await suite.browser.get('/questionnaires/leadership-360?language=de');
    expect(german.text).toContain('Shown in German.');
    expect(german.text).not.toContain('shown in English');
    expect(german.text).toContain('<ol class="item-list" lang="de"><li>Beschreibt eine klare und überzeugende Richtung für das Team.</li>');
    expect(german.text).toContain('<li>1 · Stimme überhaupt nicht zu</li>');
    // An unknown language is the questionnaire's own.
    expect((await suite.browser.get('/questionnaires/leadership-360?language=xx')).text).toContain('<li>Listens attentively without interrupting.</li>');
  });

  it('translates one language at a time beside the source texts, and says what is still missing', async () => {
    const id = await copyOfLeadership360();
    expect((await suite.browser.get(`/questionnaires/${id}/translations`)).location).toBe(`/questionnaires/${id}/translations/fr`);
    const form = await suite.browser.get(`/questionnaires/${id}/translations/de`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('<h1>Translation into German</h1>');
    expect(form.text).toContain('<p class="muted" id="f-item.c3i1-source" lang="en">Listens attentively without interrupting.</p>');
    expect(inputValue(form.text, 'item.c3i1')).toBe('Hört aufmerksam zu, ohne zu unterbrechen.');
    expect(inputValue(form.text, 'scale.na')).toBe('Kann ich nicht beurteilen');

    const saved = await suite.browser.post(`/questionnaires/${id}/translations/de`, {
      'item.c3i1': 'Hört aufmerksam zu und unterbricht nicht.',
      'item.c1i1': '   ',
      'scale.3': 'Weder noch',
    });
    expect((await follow(saved)).text).toContain('Saved. One text has no German translation yet.');
    const definition = await definitionOf(id);
    expect(definition.competencies[2]!.items[0]!.translations!.de).toEqual({ text: 'Hört aufmerksam zu und unterbricht nicht.' });
    expect(definition.competencies[2]!.items[0]!.translations!.fr).toEqual({ text: 'Écoute attentivement, sans interrompre.' });
    expect(definition.scale.translations!.de!.labels).toEqual(['Stimme überhaupt nicht zu', 'Stimme nicht zu', 'Weder noch', 'Stimme zu', 'Stimme voll und ganz zu']);
    expect(missingTranslations(definition, 'de').map((missing) => missing.key)).toEqual(['item.c1i1']);
    expect(coveredLanguages(definition)).toEqual(['en', 'fr', 'es', 'nl']);

    const page = await suite.browser.get(`/questionnaires/${id}`);
    expect(page.text).toContain('<span class="badge badge-warn">1 text missing</span>');
    expect(page.text).toContain(`<li>Item 1: “Describes a clear and compelling direction for…”</li>`);
    expect(page.text).toContain(`href="/questionnaires/${id}/translations/de"`);
    const preview = await suite.browser.get(`/questionnaires/${id}?language=de`);
    expect(preview.text).toContain('One text has no translation yet and is shown in English.');
    expect(preview.text).toContain('<li>Describes a clear and compelling direction for the team.</li>');
  });

  it('keeps what was typed and saves nothing when a translation is too long', async () => {
    const id = await copyOfLeadership360();
    const before = await definitionOf(id);
    const response = await suite.browser.post(`/questionnaires/${id}/translations/es`, { 'item.c1i2': 'x'.repeat(501), 'item.c1i3': 'Una edición que se conserva' });
    expect(response.status).toBe(422);
    expect(response.text).toContain('Nothing was saved: some translations need your attention.');
    expect(response.text).toContain('<p class="error-text" id="f-item.c1i2-error">At most 500 characters.</p>');
    expect(inputValue(response.text, 'item.c1i3')).toBe('Una edición que se conserva');
    expect(await definitionOf(id)).toEqual(before);
  });

  it('leaves the built-in questionnaire and other coaches’ questionnaires alone', async () => {
    const before = await definitionOf('leadership-360');
    const get = await suite.browser.get('/questionnaires/leadership-360/translations/fr');
    expect(get.status).toBe(303);
    expect((await follow(get)).text).toContain('The built-in questionnaire cannot be changed. Copy it to adapt it.');
    expect((await suite.browser.post('/questionnaires/leadership-360/translations/fr', { 'item.c1i1': 'Piraté' })).status).toBe(303);
    expect(await definitionOf('leadership-360')).toEqual(before);

    const id = await copyOfLeadership360();
    expect((await suite.browser.get(`/questionnaires/${id}/translations/en`)).location).toBe(`/questionnaires/${id}/edit`);
    expect((await suite.browser.get(`/questionnaires/${id}/translations/xx`)).status).toBe(404);
    const other = await signedInBrowser(suite.context, await createCoach(suite.context));
    expect((await other.get(`/questionnaires/${id}/translations/fr`)).status).toBe(404);
    expect((await other.post(`/questionnaires/${id}/translations/fr`, { 'item.c1i1': 'Piraté' })).status).toBe(404);
    expect((await other.get(`/questionnaires/${id}/translations.csv`)).status).toBe(404);
    const form = new FormData();
    form.set('file', new File(['key,fr\nitem.c1i1,Piraté\n'], 'x.csv', { type: 'text/csv' }));
    expect((await other.postMultipart(`/questionnaires/${id}/translations/import`, form)).status).toBe(404);
    expect((await definitionOf(id)).competencies[0]!.items[0]!.translations!.fr!.text).toBe('Décrit pour l’équipe une orientation claire et mobilisatrice.');
  });

  it('drops the translations of a reworded text when the questionnaire is edited, and keeps the others', async () => {
    const id = await copyOfLeadership360();
    const editor = await suite.browser.get(`/questionnaires/${id}/edit`);
    // Every other language has translations: the texts can only be declared English.
    expect(editor.text).toMatch(/<select id="f-language" name="language"[^>]*><option value="en" selected lang="en">English<\/option><\/select>/);
    const fields: Record<string, string> = { action: 'save', name: 'Leadership 360 for Acme', description: '', language: 'en', scalePoints: '5', scaleLabels: LEADERSHIP_360.scale.labels.join('\n'), naLabel: 'Not able to rate' };
    LEADERSHIP_360.competencies.forEach((competency, c) => {
      fields[`c.${c}.id`] = competency.id;
      fields[`c.${c}.name`] = competency.name;
      fields[`c.${c}.description`] = competency.description;
      competency.items.forEach((item, i) => {
        fields[`c.${c}.i.${i}.id`] = item.id;
        fields[`c.${c}.i.${i}.text`] = item.text;
      });
    });
    LEADERSHIP_360.openQuestions.forEach((question, q) => {
      fields[`q.${q}.id`] = question.id;
      fields[`q.${q}.text`] = question.text;
    });
    fields['c.4.i.2.text'] = 'Shares credit with other teams.';
    const saved = await suite.browser.post(`/questionnaires/${id}/edit`, fields);
    expect((await follow(saved)).text).toContain('Saved. One reworded text lost its translations: translate it again.');
    const definition = await definitionOf(id);
    expect(definition.competencies[4]!.items[2]).toEqual({ id: 'c5i3', text: 'Shares credit with other teams.' });
    expect(definition.competencies[4]!.items[1]).toEqual(LEADERSHIP_360.competencies[4]!.items[1]);
    expect(definition.scale).toEqual(LEADERSHIP_360.scale);
    expect(coveredLanguages(definition)).toEqual(['en']);
    for (const language of ['fr', 'de', 'es', 'nl'] as const) expect(missingTranslations(definition, language).map((missing) => missing.key)).toEqual(['item.c5i3']);

    // Saving again without a change drops nothing more.
    expect((await follow(await suite.browser.post(`/questionnaires/${id}/edit`, fields))).text).toContain('<div class="flash flash-success" role="status">Saved.</div>');
  });

  it('creates a questionnaire in Dutch, with its agreement scale translated into the other languages', async () => {
    const created = await suite.browser.post('/questionnaires', { name: 'Teamleider 360', description: '', points: '4', language: 'nl' });
    const id = created.location!.split('/')[2]!;
    const definition = await definitionOf(id);
    expect(definition.language).toBe('nl');
    expect(definition.scale.labels).toEqual(['Helemaal mee oneens', 'Mee oneens', 'Mee eens', 'Helemaal mee eens']);
    expect(definition.scale.translations!.en).toEqual({ labels: ['Strongly disagree', 'Disagree', 'Agree', 'Strongly agree'], naLabel: 'Not able to rate' });
    expect(coveredLanguages(definition)).toEqual(['nl', 'en', 'fr', 'de', 'es']);
    const page = await suite.browser.get(`/questionnaires/${id}`);
    expect(page.text).toContain('Written in Dutch.');
    expect(page.text).toContain(`href="/questionnaires/${id}/translations/en"`);

    // The editor brings the Dutch scale of another size, and its translations, when the points change.
    const editor = await suite.browser.get(`/questionnaires/${id}/edit`);
    expect(editor.text).toContain('<option value="nl" selected lang="nl">Nederlands</option>');
    await suite.browser.post(`/questionnaires/${id}/edit`, { action: 'save', name: 'Teamleider 360', description: '', language: 'nl', scalePoints: '5', scaleLabels: definition.scale.labels.join('\n'), naLabel: 'Kan ik niet beoordelen' });
    const five = await definitionOf(id);
    expect(five.scale.labels[2]).toBe('Neutraal');
    expect(five.scale.translations!.fr).toEqual({ labels: ['Pas du tout d’accord', 'Pas d’accord', 'Ni d’accord ni pas d’accord', 'D’accord', 'Tout à fait d’accord'], naLabel: 'Je ne suis pas en mesure d’évaluer' });
  });

  it('declares the texts of a questionnaire without translations to be in another language', async () => {
    const created = await suite.browser.post('/questionnaires', { name: 'Legacy', description: '', points: '5' });
    const id = created.location!.split('/')[2]!;
    // As stored before languages: no language, no translations.
    const { language: _language, ...legacy } = await definitionOf(id);
    await suite.context.db
      .updateTable('questionnaires')
      .set({ definition: JSON.stringify({ ...legacy, scale: { points: 5, labels: ['Helemaal mee oneens', 'Mee oneens', 'Neutraal', 'Mee eens', 'Helemaal mee eens'], naLabel: 'Kan ik niet beoordelen' } }) })
      .where('id', '=', id)
      .execute();
    const editor = await suite.browser.get(`/questionnaires/${id}/edit`);
    expect(editor.text).toContain('<option value="en" selected lang="en">English</option><option value="fr" lang="fr">Français</option>');
    const saved = await suite.browser.post(`/questionnaires/${id}/edit`, { action: 'save', name: 'Legacy', description: '', language: 'nl', scalePoints: '5', scaleLabels: 'Helemaal mee oneens\nMee oneens\nNeutraal\nMee eens\nHelemaal mee eens', naLabel: 'Kan ik niet beoordelen' });
    expect(saved.status).toBe(303);
    expect(await definitionOf(id)).toMatchObject({ language: 'nl', scale: { labels: ['Helemaal mee oneens', 'Mee oneens', 'Neutraal', 'Mee eens', 'Helemaal mee eens'] } });
    // A language with a translation cannot become the questionnaire's own, even when posted by hand.
    await suite.browser.post(`/questionnaires/${id}/translations/de`, { 'scale.1': 'Stimme überhaupt nicht zu' });
    const crossed = await suite.browser.post(`/questionnaires/${id}/edit`, { action: 'save', name: 'Legacy', description: '', language: 'de', scalePoints: '5', scaleLabels: 'Helemaal mee oneens\nMee oneens\nNeutraal\nMee eens\nHelemaal mee eens', naLabel: 'Kan ik niet beoordelen' });
    expect(crossed.status).toBe(409);
    expect((await definitionOf(id)).language).toBe('nl');
  });

  it('exports every text as CSV, one column per language, and imports it back', async () => {
    const exported = await suite.browser.get('/questionnaires/leadership-360/translations.csv');
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(exported.headers.get('content-disposition')).toBe('attachment; filename=leadership-360-translations.csv');
    // (The byte-order mark before it is csvOf's, tested with the CSV reader; a fetch body's text drops it.)
    expect(exported.text.startsWith('key,en,fr,de,es,nl\r\n')).toBe(true);
    const rows = parse(exported.text, { bom: true }) as string[][];
    expect(rows).toHaveLength(1 + 5 + 1 + 8 * 7 + 3);
    expect(rows[1]).toEqual(['scale.1', 'Strongly disagree', 'Pas du tout d’accord', 'Stimme überhaupt nicht zu', 'Totalmente en desacuerdo', 'Helemaal mee oneens']);
    expect(rows.find((row) => row[0] === 'item.c5i5')).toEqual(['item.c5i5', 'Do what they say they will do.'.replace('Do what', 'Does what'), 'Joint le geste à la parole.', 'Hält Wort.', 'Cumple lo que dice.', 'Laat woorden door daden volgen.']);

    const id = await copyOfLeadership360();
    const unchanged = new FormData();
    unchanged.set('file', new File([exported.text], 'leadership.csv', { type: 'text/csv' }));
    expect((await follow(await suite.browser.postMultipart(`/questionnaires/${id}/translations/import`, unchanged))).text).toContain('The file changes nothing: every translation in it was there already.');
  });

  it('imports a spreadsheet into the coach’s questionnaire, or into a copy of the built-in one', async () => {
    const id = await copyOfLeadership360();
    // A spreadsheet saved by a European Excel: semicolons, only some rows and languages, English kept.
    const csv = ['key;en;nl;es', 'item.c1i1;Describes a clear and compelling direction for the team.;Schetst voor het team een heldere, inspirerende koers.;', 'question.q3;;Waarmee zou deze persoon kunnen stoppen?;¿Qué debería dejar de hacer esta persona?'].join('\r\n');
    const form = new FormData();
    form.set('file', new File([csv], 'vertaling.csv', { type: 'text/csv' }));
    const imported = await suite.browser.postMultipart(`/questionnaires/${id}/translations/import`, form);
    expect(imported.location).toBe(`/questionnaires/${id}#languages`);
    expect((await follow(imported)).text).toContain('Imported: 4 translations changed.');
    const definition = await definitionOf(id);
    expect(definition.competencies[0]!.items[0]!.translations).toEqual({
      fr: { text: 'Décrit pour l’équipe une orientation claire et mobilisatrice.' },
      de: { text: 'Beschreibt eine klare und überzeugende Richtung für das Team.' },
      nl: { text: 'Schetst voor het team een heldere, inspirerende koers.' },
    });
    expect(definition.openQuestions[2]!.translations!.es).toEqual({ text: '¿Qué debería dejar de hacer esta persona?' });
    expect(coveredLanguages(definition)).toEqual(['en', 'fr', 'de', 'nl']);

    const builtinBefore = await definitionOf('leadership-360');
    const intoBuiltin = new FormData();
    intoBuiltin.set('file', new File(['key,de\r\nitem.c5i5,Steht zu seinem Wort.\r\n'], 'de.csv', { type: 'text/csv' }));
    const copied = await suite.browser.postMultipart('/questionnaires/leadership-360/translations/import', intoBuiltin);
    const copyId = copied.location!.split('/')[2]!.replace('#languages', '');
    expect(copyId).not.toBe('leadership-360');
    expect((await follow(copied)).text).toContain('so the translations went into a copy of it: “Leadership 360 (copy)” (one translation changed).');
    expect((await definitionOf(copyId)).competencies[4]!.items[4]!.translations!.de).toEqual({ text: 'Steht zu seinem Wort.' });
    expect(await definitionOf('leadership-360')).toEqual(builtinBefore);
  });

  it('refuses a broken spreadsheet, naming the row and column of each problem, and imports nothing', async () => {
    const id = await copyOfLeadership360();
    const before = await definitionOf(id);
    const csv = [
      'key,en,fr,klingon',
      'item.c1i1,Describes a clear and compelling direction for the team.,Une nouvelle traduction,',
      `item.c1i2,,${'x'.repeat(501)},`,
      'item.zz,,Inconnu,',
      'item.c1i1,,Encore,',
      'item.c1i4,Sets priorities.,Fixe des priorités.,',
      ',,Sans clé,',
      'scale.1,,Pas du tout d’accord,,surplus',
    ].join('\n');
    const form = new FormData();
    form.set('file', new File([csv], 'broken.csv', { type: 'text/csv' }));
    const response = await suite.browser.postMultipart(`/questionnaires/${id}/translations/import`, form);
    expect(response.status).toBe(422);
    expect(response.text).toContain('Nothing was imported. Fix these and import the file again:');
    const problems = [...response.text.matchAll(/<li>(Row [^<]*)<\/li>/g)].map((match) => match[1]);
    expect(problems).toEqual([
      'Row 1, column D (klingon): not a language of this application (en, fr, de, es, nl).',
      'Row 3, column C (fr): at most 500 characters.',
      `Row 4, column A (key): “item.zz” is not a text of this questionnaire.`,
      'Row 5, column A (key): “item.c1i1” is already in row 2.',
      `Row 6, column B (en): this is not the questionnaire${escaped("'")}s text (“Sets clear priorities and declines work that does not serve…”). Translations are made for its text as it is: change it in the editor, not in the file.`,
      'Row 7, column A (key): the key is empty.',
      'Row 8, column E (—): this cell is outside the columns of row 1.',
    ]);
    expect(await definitionOf(id)).toEqual(before);

    const attempts: Array<[string, string]> = [
      ['', 'Choose a CSV file to import.'],
      ['fr,de\nitem.c1i1,x\n', 'Row 1 has no “key” column. Start from the file downloaded here and keep its first row.'],
      ['key,en\nitem.c1i1,\n', 'Row 1 names no language to import besides the questionnaire'],
      ['key,fr\n"item.c1i1,Une citation jamais fermée\n', 'The file cannot be read as CSV from line 2 on: a quote is probably not closed.'],
    ];
    for (const [content, message] of attempts) {
      const attempt = new FormData();
      attempt.set('file', new File([content], 'file.csv', { type: 'text/csv' }));
      const refused = await suite.browser.postMultipart(`/questionnaires/${id}/translations/import`, attempt);
      expect(refused.status).toBe(422);
      expect(refused.text).toContain(escaped(message));
    }
    // Excel's plain "CSV" is Windows-1252: "Écoute" does not decode as UTF-8.
    const latin1 = new FormData();
    latin1.set('file', new File([Buffer.from('key,fr\nitem.c3i1,\xc9coute\n', 'latin1')], 'excel.csv', { type: 'text/csv' }));
    expect((await suite.browser.postMultipart(`/questionnaires/${id}/translations/import`, latin1)).text).toContain('The file is not UTF-8 text. In Excel, save it as “CSV UTF-8”.');
    expect(await definitionOf(id)).toEqual(before);
  });
});
