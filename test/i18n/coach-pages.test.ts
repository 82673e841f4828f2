import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Coach } from '../../server/auth/coach';
import type { Language } from '../../server/i18n/languages';
import { DATABASE_KINDS } from '../helpers/databases';
import type { Page, TestBrowser } from '../helpers/http-client';
import { deliverOutbox, linkIn, readEmlOutbox, recipientsOf } from '../helpers/mail';
import { answerSurvey, createRoundWithRaters, launch } from '../helpers/rounds';
import { createCoach, createTestContext, signedInBrowser, type TestContext } from '../helpers/test-app';

/**
 * The coach's own pages of the goals cycle and of the administration follow the account's
 * language: a French and a German coach read them (and their flash messages) in theirs, an
 * English coach still reads English. One engagement from baseline to closure, the language
 * switched on the account between requests.
 */
describe.each(DATABASE_KINDS)("the coach's pages in the account's language (%s)", (kind) => {
  // The administrator's engagement, its rounds by purpose, and how many emails the tests have read.
  let context: TestContext;
  let coach: Coach;
  let browser: TestBrowser;
  let engagementId = '';
  const rounds = { baseline: '', pulse: '', evaluation: '' };
  let seen = 0;

  beforeAll(async () => {
    context = await createTestContext(kind);
    coach = await createCoach(context, { name: 'Noor Coach', isAdmin: true });
    browser = await signedInBrowser(context, coach);
    const baseline = await createRoundWithRaters(context, coach, { manager: 1, peers: 3, reports: 3 });
    [rounds.baseline, engagementId] = [baseline.round.id, baseline.engagement.id];
  });
  afterAll(() => context.close());

  /** The account's language, as the account page sets it; the next page follows it. */
  async function readIn(language: Language): Promise<void> {
    await context.db.updateTable('coaches').set({ language }).where('id', '=', coach.id).execute();
  }

  /** The page a redirect leads to, with its flash message. */
  async function followed(response: Page): Promise<Page> {
    expect(response.status).toBe(303);
    return browser.get(response.location!);
  }

  /** Survey links sent since the last call, by recipient. */
  async function newLinks(): Promise<Map<string, string>> {
    await deliverOutbox(context);
    const unread = (await readEmlOutbox(context)).slice(seen);
    seen += unread.length;
    const surveys = unread.filter((mail) => (mail.text ?? '').includes('/s/'));
    return new Map(surveys.map((mail) => [recipientsOf(mail)[0]!, linkIn(mail, '/s/')]));
  }

  /** Everyone answers 3, but "Listens attentively" (c3i1) rises from 2 to 4 for the raters: a reliable improvement. */
  async function answerAll(links: Map<string, string>, listening: number) {
    for (const [email, link] of links) {
      const self = email.startsWith('jordan');
      const rate = (id: string) => (id === 'c3i1' && !self ? listening + (email.startsWith('peers-3') ? 1 : 0) : 3);
      expect((await answerSurvey(context.browser(), link, rate)).status).toBe(200);
    }
  }

  it('runs the baseline, and the plan editor speaks French and German, flash and failed form included', async () => {
    await launch(context, coach, rounds.baseline);
    await answerAll(await newLinks(), 2);
    await browser.post(`/rounds/${rounds.baseline}/close`);
    expect((await browser.post(`/rounds/${rounds.baseline}/release`, { note: '' })).status).toBe(303);

    await readIn('fr');
    const plan = await browser.get(`/engagements/${engagementId}/plan`);
    expect(plan.text).toContain('<h1>Plan de développement</h1>');
    expect(plan.text).toContain('Ajouter un axe de travail');
    expect(plan.text).toContain('La compétence entière\u00a0: ');
    expect(plan.text).not.toContain('Add a focus area');
    expect(plan.text).not.toContain('The whole competency');
    const added = await followed(await browser.post(`/engagements/${engagementId}/focus-areas`, { ref: 'item:c3i1', goal: 'Laisser finir.' }));
    expect(added.text).toContain('Axe de travail ajouté\u00a0: Écoute attentivement, sans interrompre.');
    expect(added.text).toContain('1. Écoute attentivement, sans interrompre. <span class="badge badge-brand">Énoncé</span>');
    expect(added.text).toContain('Pas encore d’action.');
    expect(added.text).toContain('Enregistrer le plan');

    await readIn('de');
    const focus = await context.db.selectFrom('focus_areas').select('id').where('engagement_id', '=', engagementId).executeTakeFirstOrThrow();
    const refused = await browser.post(`/engagements/${engagementId}/focus-areas/${focus.id}/actions`, { description: '', dueOn: '', status: 'planned' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('<h1>Entwicklungsplan</h1>');
    expect(refused.text).toContain('Neue Maßnahme');
    expect(refused.text).not.toContain('New action');
    const action = await followed(await browser.post(`/engagements/${engagementId}/focus-areas/${focus.id}/actions`, { description: 'Zusammenfassen', dueOn: '', status: 'planned' }));
    expect(action.text).toContain('Maßnahme hinzugefügt.');
    expect(action.text).toMatch(/<option value="planned" selected>Geplant<\/option><option value="in-progress">In Arbeit<\/option>/);
  });

  it('reports a pulse in French and German: headings, columns, rater groups and shares', async () => {
    await readIn('en');
    const created = await browser.post(`/engagements/${engagementId}/pulses`, { sinceDay: '2026-03-02', deadlineDay: '2026-03-20', message: '' });
    expect(created.status).toBe(303);
    rounds.pulse = created.location!.split('/')[2]!;
    await browser.post(`/rounds/${rounds.pulse}/launch`);
    for (const [, link] of await newLinks()) expect((await answerSurvey(context.browser(), link, () => 6, {})).status).toBe(200);
    await browser.post(`/rounds/${rounds.pulse}/close`);

    await readIn('fr');
    const french = await browser.get(`/rounds/${rounds.pulse}/report`);
    expect(french.text).toContain('Progrès depuis le 2 mars 2026\u00a0: Jordan Lee');
    expect(french.text).toMatch(/Tous les autres<\/th><td class="num" data-label="Réponses">7<\/td><td class="num" data-label="Moyenne">\+2,00<\/td><td class="num" data-label="Plus efficace">100 %<\/td>/);
    expect(french.text).toContain('Collaborateurs directs</th>');
    expect(french.text).toContain('Ce que les personnes ont remarqué');
    expect(french.text).not.toContain('What people noticed');
    expect(french.text).not.toContain('More effective');

    await readIn('de');
    const german = await browser.get(`/rounds/${rounds.pulse}/report`);
    expect(german.text).toContain('Fortschritt seit 2. März 2026: Jordan Lee');
    expect(german.text).toContain('<th scope="col" class="num">Weniger wirksam</th>');
    expect(german.text).toContain('Es wurden keine Kommentare geschrieben.');
  });

  it('shows the change report in German and French, its numbers as the language writes them; English stays English', async () => {
    await readIn('en');
    rounds.evaluation = (await browser.post(`/rounds/${rounds.baseline}/rerun`)).location!.split('/')[2]!;
    expect((await browser.post(`/rounds/${rounds.evaluation}/details`, { deadlineDay: '2026-04-10', message: '' })).status).toBe(303);
    await browser.post(`/rounds/${rounds.evaluation}/launch`);
    await answerAll(await newLinks(), 4);

    await readIn('de');
    const open = await browser.get(`/rounds/${rounds.evaluation}/change`);
    expect(open.text).toContain('Keine Werte, bis die Evaluationsrunde abgeschlossen ist');
    expect(open.text).toContain('Bisher haben 7 Personen außer Jordan Lee geantwortet.');
    expect(open.text).not.toContain('No figures until');

    await browser.post(`/rounds/${rounds.evaluation}/close`);
    const german = await browser.get(`/rounds/${rounds.evaluation}/change`);
    expect(german.text).toContain('<h1>Was sich für Jordan Lee verändert hat</h1>');
    expect(german.text).toContain('„Hört aufmerksam zu, ohne zu unterbrechen“ hat sich belastbar verbessert');
    expect(german.text).toContain('Belastbar verbessert</span>');
    expect(german.text).toContain('So lesen Sie diesen Veränderungsbericht');
    expect(german.text).toContain('8 Personen wurden zu beiden Runden eingeladen');
    expect(german.text).toContain('"label":"Ausgangsrunde"');
    expect(german.text).toContain('die Selbsteinschätzung stammt von einer einzigen Person: nur Differenz');
    expect(german.text).toMatch(/2,14<span class="n"> 7<\/span>/);
    expect(german.text).not.toMatch(/What changed|Reliably improved|How to read|single rater/);

    await readIn('fr');
    const french = await browser.get(`/rounds/${rounds.evaluation}/change`);
    expect(french.text).toContain('<h1>Ce qui a changé pour Jordan Lee</h1>');
    expect(french.text).toContain('Progrès fiable</span>');
    expect(french.text).toContain('<th scope="col" class="num">Intervalle à 95\u00a0%</th>');
    expect(french.text).toContain('Passer l’accompagnement à l’étape «\u00a0Bilan et clôture\u00a0»');
    expect(french.text).not.toMatch(/What changed|In short|Effect size/);

    await readIn('en');
    const english = await browser.get(`/rounds/${rounds.evaluation}/change`);
    expect(english.text).toContain('<h1>What changed for Jordan Lee</h1>');
    expect(english.text).toContain('“Listens attentively without interrupting” improved reliably');
    expect(english.text).toMatch(/2\.14<span class="n"> 7<\/span>/);
  });

  it('prints the engagement summary in French, and saves its note with a French flash', async () => {
    await readIn('fr');
    const summary = await browser.get(`/engagements/${engagementId}/summary`);
    expect(summary.text).toContain('<h1>Coaching avec Jordan Lee</h1>');
    expect(summary.text).toContain('Axes de travail et évolution constatée');
    expect(summary.text).toContain('<h3>Écoute attentivement, sans interrompre.</h3>');
    expect(summary.text).toMatch(/360° initial<\/th><td>[^<]+<\/td><td class="num">8 sur 8 \(100 %\)/);
    expect(summary.text).toContain('2,14 → 4,14 (+2,00)\u00a0: progrès fiable');
    expect(summary.text).not.toContain('Closing note');
    const saved = await followed(await browser.post(`/engagements/${engagementId}/closing-note`, { closingNote: 'Écoute d’abord.' }));
    expect(saved.text).toContain('Note de clôture enregistrée.');

    await readIn('en');
    expect((await browser.get(`/engagements/${engagementId}/summary`)).text).toContain('2.14 → 4.14 (+2.00): reliable improvement');
  });

  it('runs the coaches page, the invitation email and the join page in the administrator’s language', async () => {
    await readIn('fr');
    const list = await browser.get('/coaches');
    expect(list.text).toContain('Inviter un coach');
    expect(list.text).not.toContain('Invite a coach');
    const invited = await followed(await browser.post('/coaches/invitations', { email: 'blake@example.com' }));
    expect(invited.text).toContain('Invitation envoyée à blake@example.com. Le lien ne sert qu’une fois et reste valable 7 jours.');
    await deliverOutbox(context);
    const mail = (await readEmlOutbox(context)).find((candidate) => recipientsOf(candidate)[0] === 'blake@example.com')!;
    expect(mail.subject).toBe('Noor Coach vous invite sur sa plateforme de feedback 360°');
    expect(mail.html).toContain('Créer votre compte');
    expect(mail.text).toContain('Le lien ne sert qu’une fois et expire le');
    expect(mail.html).toContain('<html lang="fr">');

    const newcomer = context.browser();
    const join = await newcomer.get(linkIn(mail, '/join/'));
    expect(join.text).toContain('<html lang="fr">');
    expect(join.text).toContain('<h1>Créez votre compte de coach</h1>');
    const short = await newcomer.post(linkIn(mail, '/join/'), { name: 'Blake', password: 'short' });
    expect(short.status).toBe(422);
    expect(short.text).toContain('Au moins 10 caractères.');

    await readIn('en');
    expect((await browser.get('/coaches')).text).toContain('Invite a coach');
  });

  it('edits the practice look in German, the advice on a light accent included', async () => {
    await readIn('de');
    const page = await browser.get('/branding');
    expect(page.text).toContain('<h1>Erscheinungsbild der Praxis</h1>');
    expect(page.text).toContain('Akzentfarbe');
    expect(page.text).not.toContain('Accent colour');
    const saved = await followed(await browser.post('/branding', { practiceName: '', accentColour: '#f5c400', senderName: '', replyTo: '' }));
    expect(saved.text).toContain('Gespeichert. #f5c400 ist für Text zu hell: Weiß darauf erreicht 1,');
    expect(saved.text).toContain('Obere Leiste, Schaltflächen unter dem Mauszeiger');
    await browser.post('/branding', { practiceName: '', accentColour: '', senderName: '', replyTo: '' });
  });

  it('shows the privacy notice editor and one person’s data in French, statuses and refusals included', async () => {
    await readIn('fr');
    const notice = await browser.get('/privacy-admin/notice');
    expect(notice.text).toContain('<h1>Notice de confidentialité</h1>');
    expect(notice.text).toContain('Les évaluateurs lisent la notice intégrée dans leur propre langue.');
    expect(notice.text).toContain('Vous avez été invité à donner votre avis');
    const rater = (await context.db.selectFrom('invitations').select('email').where('round_id', '=', rounds.baseline).where('email', 'like', 'peers-1-%').executeTakeFirstOrThrow()).email;
    const person = await browser.get(`/privacy-admin/people?email=${encodeURIComponent(rater)}`);
    expect(person.text).toContain(`Données détenues sur ${rater}`);
    expect(person.text).toContain('<h3>En tant qu’évaluateur</h3>');
    expect(person.text).toMatch(/<td>Pairs<\/td><td>terminé, /);
    expect(person.text).not.toContain('As a rater');
    const refused = await browser.post('/privacy-admin/people/erase', { email: rater });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain(`Effacer tout ce qui est listé ci-dessus sur ${rater}`);

    await readIn('de');
    const erased = await followed(await browser.post('/privacy-admin/people/erase', { email: rater, confirm: 'erase' }));
    expect(erased.text).toMatch(/Gelöscht: 3 Einladungen[^<]*\./);
  });
});
