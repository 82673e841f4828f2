import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Coach } from '../../server/auth/coach';
import { setCoachLanguage } from '../../server/auth/auth.service';
import type { Language } from '../../server/i18n/languages';
import { questionnaireVersionOf } from '../../server/norms/questionnaire-version';
import { sourceLanguageOf } from '../../server/questionnaires/questionnaire-languages';
import { getQuestionnaire } from '../../server/questionnaires/questionnaires.service';
import { findRound } from '../../server/rounds/rounds.repository';
import { DATABASE_KINDS } from '../helpers/databases';
import type { TestBrowser } from '../helpers/http-client';
import { createCoach, createTestContext, signedInBrowser, type TestContext } from '../helpers/test-app';
import { assessedLeader, everywhere, practiceQuestionnaire } from '../norms/practice';

/** French writes a no-break space before a colon and inside « »; the pages keep it. */
const NBSP = '\u00a0';

/**
 * The questionnaire and norm pages follow the signed-in coach's account language (issue 17): their
 * headings, labels, buttons, counts, messages and flashes. A questionnaire's own texts (competencies,
 * items) and a norm's name are the coach's data and stay as written.
 */
describe.each(DATABASE_KINDS)("the questionnaire and norm pages in the coach's language (%s)", (kind) => {
  let context: TestContext;
  let coach: Coach;
  let browser: TestBrowser;
  let practiceId: string;
  let practiceRound: string;
  let normPath: string;

  beforeAll(async () => {
    context = await createTestContext(kind, { env: { NORM_MINIMUM_LEADERS: '3' } });
    coach = await createCoach(context);
    browser = await signedInBrowser(context, coach);
    practiceId = await practiceQuestionnaire(context, coach);
    // Two leaders: one short of a norm until the third comes.
    for (const value of [2, 4]) practiceRound = (await assessedLeader(context, coach, practiceId, { ...everywhere(3), i1: value })).round.id;
  });
  afterAll(() => context.close());

  const speak = (language: Language) => setCoachLanguage(context.db, coach.id, language);
  /** Each snippet is on the page. */
  const expectIn = (page: { text: string }, ...snippets: string[]) => {
    for (const snippet of snippets) expect(page.text).toContain(snippet);
  };
  const follow = async (response: { location: string | null }) => browser.get(response.location!);
  const idIn = (location: string | null, pattern: RegExp) => pattern.exec(location ?? '')![1]!;
  /** The editor's fields for the questionnaire as stored, with its competencies' ids. */
  const editorFields = async (id: string) => {
    const { definition } = await getQuestionnaire(context.db, coach.id, id);
    const fields: Record<string, string> = {
      name: definition.name, description: '', language: sourceLanguageOf(definition), scalePoints: String(definition.scale.points),
      scaleLabels: definition.scale.labels.join('\n'), naLabel: definition.scale.naLabel,
    };
    definition.competencies.forEach((competency, index) => Object.assign(fields, { [`c.${index}.id`]: competency.id, [`c.${index}.name`]: competency.name, [`c.${index}.description`]: '' }));
    return fields;
  };

  it('French: the list, the new form (refused, then created), the editor and its flashes, the page and the archive', async () => {
    await speak('fr');
    const list = await browser.get('/questionnaires');
    expectIn(
      list,
      'Les compétences, énoncés et questions ouvertes auxquels répondent les évaluateurs.',
      '<span class="badge badge-brand">Intégré</span>',
      '<td class="num nowrap" data-label="Échelle">5 points</td>',
      '>Importer un JSON</a>',
      'Voir les questionnaires archivés',
    );
    expect(list.text).not.toContain('New questionnaire');
    expect(list.text).not.toContain('Built in');

    const form = await browser.get('/questionnaires/new');
    expect(form.text).toContain('<h1>Nouveau questionnaire</h1>');
    expect(form.text).toContain('Ou copiez un questionnaire existant pour partir de son contenu.');
    // A new questionnaire is written in the coach's language unless they choose another.
    expect(form.text).toContain('<option value="fr" selected lang="fr">');
    const refused = await browser.post('/questionnaires', { name: '', description: '', points: '9', language: 'fr' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Créer et ajouter des compétences');
    expect(refused.text).not.toContain('Create and add competencies');

    const created = await browser.post('/questionnaires', { name: 'Pilotage', description: '', points: '4', language: 'fr' });
    const id = idIn(created.location, /^\/questionnaires\/([^/]+)\/edit$/);
    const editor = await follow(created);
    expectIn(
      editor,
      'Questionnaire créé. Ajoutez-y maintenant les compétences et les énoncés.',
      '<h1>Modifier le questionnaire</h1>',
      '<title>Modifier «\u00a0Pilotage\u00a0»',
      '<option value="4" selected>4 points</option>',
      'Libellé de «\u00a0ne peut pas évaluer\u00a0»',
    );
    expect(editor.text).not.toContain('Save changes');
    expect((await browser.get('/questionnaires')).text).toContain(`Pas encore prêt${NBSP}: il ne contient encore aucune compétence.`);

    const saved = await browser.post(`/questionnaires/${id}/edit`, { ...(await editorFields(id)), 'newCompetency.name': 'Écoute', 'newCompetency.items': '' });
    const withCompetency = await follow(saved);
    expectIn(
      withCompetency,
      'Enregistré.',
      '<h3 id="c-0-heading">Compétence 1</h3>',
      'aria-label="Monter la compétence 1" title="Monter"',
      'Aucun énoncé pour l’instant.',
    );
    const page = await browser.get(`/questionnaires/${id}`);
    expectIn(
      page,
      '1 compétence · 0 énoncé · 0 question ouverte',
      `Pas encore utilisable pour une campagne${NBSP}: la compétence «${NBSP}Écoute${NBSP}» ne contient encore aucun énoncé.`,
      '<h2 id="scale-heading">Échelle de notation</h2>',
      '>Exporter en JSON</a>',
    );

    const filled = await browser.post(`/questionnaires/${id}/edit`, { ...(await editorFields(id)), 'c.0.newItems': 'Écoute sans interrompre.\nReformule avant de répondre.', newQuestions: 'Un conseil ?' });
    const items = await follow(filled);
    expect(items.text).toContain('aria-label="Descendre l’énoncé 1"');
    expect(items.text).toContain('aria-label="Supprimer la question ouverte 1"');
    expect((await browser.get(`/questionnaires/${id}`)).text).toContain('1 compétence · 2 énoncés · 1 question ouverte');

    const archived = await follow(await browser.post(`/questionnaires/${id}/archive`, {}));
    expect(archived.text).toContain('Questionnaire archivé.');
    expect(archived.text).toContain('<span class="badge">Archivé</span>');
    const restored = await follow(await browser.post(`/questionnaires/${id}/unarchive`, {}));
    expect(restored.text).toContain('Questionnaire restauré.');
    const copied = await follow(await browser.post(`/questionnaires/${id}/copy`, {}));
    // A copy is named in the coach's language, as if they had typed its name.
    expect(copied.text).toContain(`Copie créée. Vous modifiez «${NBSP}Pilotage (copie)${NBSP}».`);
  });

  it('French: the import page, a failed import in French, and a good one', async () => {
    await speak('fr');
    const page = await browser.get('/questionnaires/import');
    expect(page.text).toContain('<h1>Importer un questionnaire</h1>');
    expect(page.text).toContain('Rien n’est importé tant que le fichier n’est pas entièrement valide.');
    const nothing = await browser.postMultipart('/questionnaires/import', new FormData());
    expect(nothing.status).toBe(422);
    expect(nothing.text).toContain('<p class="error-text" id="f-file-error">Choisissez un fichier JSON ou collez son contenu ci-dessous.</p>');
    expect(nothing.text).not.toContain('Choose a JSON file');
    const broken = new FormData();
    broken.set('json', '{"name": "Pilotage"');
    const notJson = await browser.postMultipart('/questionnaires/import', broken);
    expect(notJson.status).toBe(422);
    expect(notJson.text).toContain('<p class="error-text" id="f-file-error">Le fichier n’est pas un JSON valide (');

    const exported = await browser.get('/questionnaires/leadership-360/export');
    const document = JSON.parse(exported.text) as { name: string };
    const good = new FormData();
    good.set('json', JSON.stringify({ ...document, name: 'Leadership importé' }));
    const imported = await browser.postMultipart('/questionnaires/import', good);
    expect(imported.status).toBe(303);
    expect((await follow(imported)).text).toContain(`«${NBSP}Leadership importé${NBSP}» a été importé.`);
    const importedId = idIn(imported.location, /^\/questionnaires\/([^/]+)$/);

    // The spreadsheet of translations: a failed import, and translations saved by hand.
    const noSheet = await browser.postMultipart(`/questionnaires/${importedId}/translations/import`, new FormData());
    expect(noSheet.status).toBe(422);
    expect(noSheet.text).toContain('Choisissez un fichier CSV à importer.');
    const saved = await browser.post(`/questionnaires/${importedId}/translations/de`, { 'item.c1i1': 'Beschreibt eine klare Richtung.' });
    expect((await follow(saved)).text).toContain(`Enregistré${NBSP}: la traduction en allemand est complète.`);
  });

  it('German: the list, the editor and its buttons, the page and the import page', async () => {
    await speak('de');
    const list = await browser.get('/questionnaires');
    expectIn(
      list,
      '<h1>Fragebögen</h1>',
      '<span class="badge badge-brand">Mitgeliefert</span>',
      '<td class="num nowrap" data-label="Skala">5 Punkte</td>',
      '>Neuer Fragebogen</a>',
    );

    const created = await browser.post('/questionnaires', { name: 'Führung im Wandel', description: '', points: '5', language: 'de' });
    const id = idIn(created.location, /^\/questionnaires\/([^/]+)\/edit$/);
    const editor = await follow(created);
    expectIn(
      editor,
      'Fragebogen angelegt. Fügen Sie nun Kompetenzen und Aussagen hinzu.',
      '<h1>Fragebogen bearbeiten</h1>',
      'Bereits gestartete Runden behalten die Fassung, mit der sie gestartet wurden',
    );
    const saved = await browser.post(`/questionnaires/${id}/edit`, { ...(await editorFields(id)), 'newCompetency.name': 'Zuhören', 'newCompetency.items': 'Hört zu.\nFragt nach.' });
    const withItems = await follow(saved);
    expectIn(
      withItems,
      'aria-label="Kompetenz 1 nach oben verschieben"',
      'Eine Verhaltensbeschreibung pro Zeile, z. B. „Hört aufmerksam zu, ohne zu unterbrechen.“',
      'aria-label="Aussage 2 entfernen" title="Entfernen"',
      '<label class="sr-only" for="f-c.0.i.1.text">Aussage 2</label>',
    );
    expect((await browser.get(`/questionnaires/${id}/translations/fr`)).text).toContain('<title>Führung im Wandel · Übersetzung: Französisch ·');

    const page = await browser.get(`/questionnaires/${id}`);
    expect(page.text).toContain('1 Kompetenz · 2 Aussagen · 0 offene Fragen');
    expect(page.text).toContain('>Archivieren</button>');
    expect((await browser.get('/questionnaires/import')).text).toContain('Aus einer von Threesixty exportierten JSON-Datei.');
  });

  it('French and German: the norm pages, with refusals, counts, days and decimals as each language writes them', async () => {
    await speak('fr');
    const practiceVersion = questionnaireVersionOf((await findRound(context.db, practiceRound))!.snapshot!);
    const fewer = await browser.get('/norms/new');
    expectIn(
      fewer,
      '<h1>Nouvelle norme du cabinet</h1>',
      'encore 1 dirigeant nécessaire',
      'Une norme compte au moins 3 dirigeants',
    );
    expect(fewer.text).not.toContain('more leader needed');
    const refused = await browser.post('/norms', { version: practiceVersion });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('<strong>Norme non créée.</strong>');
    // Why, in French too: the refusal is a Phrase the page puts into the coach's language.
    expect(refused.text).toContain(`Une norme demande au moins 3 dirigeants${NBSP}; 2 ont un 360° initial clôturé sur ce questionnaire, il en faut donc 1 de plus.`);
    expect(refused.text).not.toContain('A norm needs at least');
    expect((await browser.get('/norms')).text).toContain('Pas encore de norme. Une norme demande au moins 3 dirigeants');

    // The third leader's engagement takes the coach's language: English, which the practice questionnaire is written in.
    await speak('en');
    await assessedLeader(context, coach, practiceId, { ...everywhere(3), i1: 5 });
    await speak('fr');
    // A known day for the norm, and a new sign-in since the session does not last months.
    context.clock.set('2026-12-04T10:00:00.000Z');
    browser = await signedInBrowser(context, coach);
    const created = await browser.post('/norms', { version: practiceVersion });
    expect(created.status).toBe(303);
    normPath = created.location!;
    const shown = await follow(created);
    // Named in the coach's language when it is made, and frozen with it.
    expect(shown.text).toContain('<h1>Norme du cabinet, déc. 2026, 3 dirigeants</h1>');
    expect(shown.text).toContain(`«${NBSP}Norme du cabinet, déc. 2026, 3 dirigeants${NBSP}» a été créée.`);
    expect(shown.text).toContain('créée le 4 déc. 2026');
    expect(shown.text).toContain('3 dirigeants, chacun avec les chiffres «\u00a0Tous les autres\u00a0»');
    // i1: 2, 4 and 5 → 3,67; c1 averages i1 and i2 per leader: 2,5, 3,5 and 4 → 3,33.
    expect(shown.text).toContain('Sets clear goals</th><td class="num" data-label="Dirigeants">3</td><td class="num" data-label="Moyenne">3,67</td>');
    expect(shown.text).toContain('Score de la compétence</th><td class="num" data-label="Dirigeants">3</td><td class="num" data-label="Moyenne">3,33</td>');

    await speak('de');
    const german = await browser.get(normPath);
    expectIn(
      german,
      'Normversion 1 · erstellt am 4. Dez. 2026',
      'Kompetenzwert</th><td class="num" data-label="Führungskräfte">3</td><td class="num" data-label="Mittelwert">3,33</td>',
      'Mittelwerte der Werte „Alle anderen“ der Führungskräfte auf der 5-Punkte-Skala',
    );
    const archived = await follow(await browser.post(`${normPath}/archive`, {}));
    expect(archived.text).toContain('„Norme du cabinet, déc. 2026, 3 dirigeants“ wurde archiviert: Berichte bieten sie nicht mehr an.');
    expect(archived.text).toContain('<span class="badge">Archiviert am 4. Dez. 2026</span>');
    const archivedList = await browser.get('/norms?archived=1');
    expect(archivedList.text).toContain('<h1>Archivierte Normen der Praxis</h1>');
    expect(archivedList.text).toContain('<td data-label="Archiviert am">4. Dez. 2026</td>');
    expect((await follow(await browser.post(`${normPath}/restore`, {}))).text).toContain('wieder sichtbar');
    // The same leaders again: refused in German, naming the norm that holds them.
    const same = await browser.post('/norms', { version: practiceVersion });
    expect(same.status).toBe(409);
    expect(same.text).toContain('«Norme du cabinet, déc. 2026, 3 dirigeants» umfasst bereits genau diese Führungskräfte und ist noch sichtbar.');
    expect((await browser.get('/norms/new')).text).toContain('>Norm erstellen<span class="sr-only"> für Team basics</span>');
  });

  it('an English coach still reads every page in English', async () => {
    await speak('en');
    expect((await browser.get('/questionnaires')).text).toContain('Competencies, items and open questions that raters answer.');
    const form = await browser.get('/questionnaires/new');
    expect(form.text).toContain('Create and add competencies');
    expect(form.text).toContain('<option value="en" selected lang="en">');
    const editor = await browser.get(`/questionnaires/${practiceId}/edit`);
    expect(editor.text).toContain('aria-label="Move item 2 up" title="Move up"');
    expect(editor.text).toContain('Label for “not able to rate”');
    expect((await browser.get(`/questionnaires/${practiceId}`)).text).toContain('2 competencies · 4 items · 0 open questions');
    expect((await browser.postMultipart('/questionnaires/import', new FormData())).text).toContain('Choose a JSON file, or paste its content below.');
    const norms = await browser.get('/norms');
    expect(norms.text).toContain('<h1>Practice norms</h1>');
    expect(norms.text).toContain('<td data-label="Created">4 Dec 2026</td>');
    const norm = await browser.get(normPath);
    expect(norm.text).toContain('Competency score</th><td class="num" data-label="Leaders">3</td><td class="num" data-label="Average">3.33</td>');
  });
});
