import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Coach } from '../../server/auth/coach';
import { setCoachLanguage } from '../../server/auth/auth.service';
import { createEngagement } from '../../server/engagements/engagements.service';
import type { Language } from '../../server/i18n/languages';
import { DATABASE_KINDS } from '../helpers/databases';
import type { TestBrowser } from '../helpers/http-client';
import { deliverOutbox, linkIn } from '../helpers/mail';
import { createRoundWithRaters, launch } from '../helpers/rounds';
import { createSmtpTestContext, type TestSmtpServer } from '../helpers/smtp';
import { createCoach, signedInBrowser, type TestContext } from '../helpers/test-app';

// The round pages follow the signed-in coach's account language; what the client reads (the
// nomination email and page) follows the engagement's; a draft round's self-assessment follows the
// engagement's language when it changes, a launched one keeps its own.

describe.each(DATABASE_KINDS)("the round pages in the coach's language (%s)", (kind) => {
  let smtp: TestSmtpServer;
  let context: TestContext;
  let close: () => Promise<void>;
  let coach: Coach;
  let browser: TestBrowser;

  beforeAll(async () => {
    ({ smtp, context, close } = await createSmtpTestContext(kind));
    coach = await createCoach(context);
    browser = await signedInBrowser(context, coach);
  });
  afterAll(() => close());

  /** French text as the catalogue writes it: a no-break space before : ; and inside « ». */
  const french = (text: string) => text.replace(/ ([:;»])/g, '\u00a0$1').replace(/« /g, '«\u00a0');
  const speak = (language: Language) => setCoachLanguage(context.db, coach.id, language);
  /** The page a redirect leads to, with its flash message. */
  const followed = async (response: { status: number; location?: string | null }) => {
    expect(response.status).toBe(303);
    return browser.get(response.location!);
  };
  /** The first message the SMTP server received for `address` (other tests' emails may still be arriving). */
  const mailTo = async (address: string) => {
    const find = () => smtp.messages.find((mail) => mail.to && !Array.isArray(mail.to) && mail.to.text === address);
    await expect.poll(find).toBeDefined();
    return find()!;
  };
  const clientEngagement = (language: Language, clientEmail: string) =>
    createEngagement(context.db, context.clock, coach.id, { clientName: 'Lena Vogel', clientEmail, organisation: 'Northwind', role: 'COO', startDate: '2026-02-01', notes: '', stage: 'assessment', language });

  it('shows a French coach the round page, its flash messages, errors and email delivery problems in French, and an English coach in English', async () => {
    await speak('fr');
    const { round } = await createRoundWithRaters(context, coach, { manager: 1, peers: 3 });
    const draft = await browser.get(`/rounds/${round.id}`);
    expect(draft.text).toContain('Cette campagne est un brouillon.');
    expect(draft.text).toContain('Lancer la campagne');
    expect(draft.text).toContain('<h2 id="raters-heading">Évaluateurs</h2>');
    expect(draft.text).toContain('Pas encore envoyée');
    expect(draft.text).toContain('Auto-évaluation');
    expect(draft.text).toContain('Responsable');
    expect(draft.text).toContain('Demander à Jordan Lee de proposer des évaluateurs');
    expect(draft.text).not.toContain('This round is a draft');
    expect(draft.text).not.toContain('Launch round');

    const refused = await browser.post(`/rounds/${round.id}/raters`, { email: 'someone@example.com', name: '', group: 'self' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Choisissez un groupe.');

    const refusedAddress = `peers-1-${round.id.slice(0, 6).toLowerCase()}@example.com`;
    smtp.unknownMailboxes.add(refusedAddress);
    const launched = await followed(await browser.post(`/rounds/${round.id}/launch`));
    expect(launched.text).toContain(french('Campagne lancée : 5 invitations en route.'));
    await deliverOutbox(context);
    smtp.mode = 'temporary';
    const added = await followed(await browser.post(`/rounds/${round.id}/raters`, { email: 'late@example.com', name: 'Late', group: 'peers' }));
    expect(added.text).toContain('late@example.com ajouté et invité.');
    await deliverOutbox(context);
    smtp.mode = 'accept';

    const open = await browser.get(`/rounds/${round.id}`);
    expect(open.text).toContain('Problèmes d’envoi des e-mails');
    expect(open.text).toContain('1 e-mail n’a pas pu être remis');
    expect(open.text).toContain(french('le serveur de messagerie a répondu « '));
    expect(open.text).toContain(french('1 e-mail pas encore remis :'));
    expect(open.text).toContain('Invitation remise au serveur de messagerie');
    expect(open.text).toContain(french('Invitation pas encore remise après 1 essai ; prochain essai : 2 mars 2026'));
    expect(open.text).toContain(french('Invitation non remise : « '));
    expect(open.text).toContain(french(' : le serveur de messagerie a répondu « '));
    expect(open.text).toContain('<h2 id="progress-heading">Réponses</h2>');
    expect(open.text).toContain('Envoyer une relance maintenant');
    expect(open.text).toContain('Le rapport n’affiche aucun chiffre');
    expect(open.text).toContain('affiché dès 3 réponses');
    expect(open.text).not.toContain('Email delivery problems');
    expect(open.text).not.toContain('Response rate');

    const reminded = await followed(await browser.post(`/rounds/${round.id}/remind`));
    expect(reminded.text).toContain('Relance envoyée à 6 évaluateurs qui n’ont pas encore répondu.');

    await speak('en');
    const english = await browser.get(`/rounds/${round.id}`);
    expect(english.text).toContain('Email delivery problems');
    expect(english.text).toContain('1 email could not be delivered');
    expect(english.text).toMatch(/Reminder (waiting to be sent|delivered to the mail server)/);
    expect(english.text).toContain('<h2 id="raters-heading">Raters</h2>');
    expect(english.text).toContain('Send a reminder now');
    expect(english.text).not.toContain('Évaluateurs');
  });

  it('shows a German coach the new-round form, the settings, reopen, re-run and pulse pages in German, and keeps built-in group names built in', async () => {
    await speak('de');
    const engagement = await clientEngagement('fr', 'lena@example.com');
    const form = await browser.get(`/engagements/${engagement.id}/rounds/new`);
    expect(form.text).toContain('<h1>Neue Feedback-Runde</h1>');
    expect(form.text).toContain('Gruppen und Anonymität');
    expect(form.text).toContain('name="g.2.label" value="Kollegen"');
    expect(form.text).toContain('Anonymitätsschwelle k');
    expect(form.text).toContain('Runde anlegen');
    expect(form.text).not.toContain('Create round');
    expect(form.text).not.toContain('Rater groups and anonymity');

    const fields = {
      questionnaireId: 'leadership-360', purpose: 'baseline', deadlineDay: '2026-03-20', message: '', k: '3', tau: '', language: 'de',
      'g.0.label': 'Selbst', 'g.1.label': 'Führungskraft', 'g.1.minimum': '1', 'g.2.label': 'Kollegen', 'g.2.minimum': '3', 'g.2.anonymous': 'on',
      'g.3.label': 'Team Lena', 'g.3.minimum': '3', 'g.3.anonymous': 'on', 'g.4.label': 'Weitere', 'g.4.minimum': '3', 'g.4.anonymous': 'on',
    };
    const invalid = await browser.post(`/engagements/${engagement.id}/rounds`, { ...fields, 'g.2.minimum': '2' });
    expect(invalid.status).toBe(422);
    expect(invalid.text).toContain('<h1>Neue Feedback-Runde</h1>');
    expect(invalid.text).toContain('name="g.2.label" value="Kollegen"');

    const created = await browser.post(`/engagements/${engagement.id}/rounds`, fields);
    const roundId = created.location!.split('/').pop()!;
    expect((await followed(created)).text).toContain('Runde angelegt. Fügen Sie die Bewertenden hinzu und starten Sie sie dann.');
    const labels = await context.db.selectFrom('rater_groups').select('label').where('round_id', '=', roundId).orderBy('position').execute();
    // Built-in names stay built in (each reader gets them in their language); a renamed group stays as written.
    expect(labels.map((row) => row.label)).toEqual(['Self', 'Manager', 'Peers', 'Team Lena', 'Others']);
    const settings = await browser.get(`/rounds/${roundId}/edit`);
    expect(settings.text).toContain('<h1>Einstellungen der Runde</h1>');
    expect(settings.text).toContain('name="g.3.label" value="Team Lena"');
    expect(settings.text).toContain('name="g.4.label" value="Weitere"');

    await browser.post(`/rounds/${roundId}/raters`, { email: 'peer@example.com', name: '', group: 'peers' });
    await launch(context, coach, roundId);
    const closed = await followed(await browser.post(`/rounds/${roundId}/close`));
    expect(closed.text).toContain('Runde abgeschlossen.');
    const reopen = await browser.get(`/rounds/${roundId}/reopen`);
    expect(reopen.text).toContain('<h1>Diese Runde wieder öffnen?</h1>');
    expect(reopen.text).toContain('Verspätete Antworten werden zurückgehalten.');
    expect(reopen.text).not.toContain('Keep it closed');

    const rerun = await browser.post(`/rounds/${roundId}/rerun`);
    expect((await followed(rerun)).text).toContain('Evaluationsrunde mit demselben Fragebogen');
    const details = await browser.get(`/rounds/${rerun.location!.split('/').pop()!}/edit`);
    expect(details.text).toContain('Evaluations-360°: Einstellungen');
    expect(details.text).toContain('Kollegen: ausgewiesen ab 3 Antworten');
    expect(details.text).toContain('Führungskraft: ausgewiesen ab 1 Antwort (nicht anonym)');

    const pulse = await browser.get(`/engagements/${engagement.id}/pulses/new`);
    expect(pulse.text).toContain('<h1>Neuer Pulse-Check</h1>');
    expect(pulse.text).toContain('Ein Pulse-Check fragt nach den Schwerpunkten des Entwicklungsplans.');
    expect(pulse.text).not.toContain('New pulse check-in');
    await speak('en');
  });

  it("asks the client for suggestions in the engagement's language, by email over SMTP and on their page, whatever the coach reads", async () => {
    await speak('en');
    const engagement = await clientEngagement('de', 'lena.vogel@example.com');
    const { round } = await createRoundWithRaters(context, coach, {}, { engagement });
    const asked = await followed(await browser.post(`/rounds/${round.id}/nomination`));
    expect(asked.text).toContain('The client has been asked to suggest raters.');
    await deliverOutbox(context);
    const request = await mailTo('lena.vogel@example.com');
    expect(request.subject).toBe('Lena Vogel, wer soll Ihnen Feedback geben? Bitte antworten Sie bis zum 16. März 2026');
    expect(request.text).toContain('Guten Tag Lena Vogel,');
    expect(request.text).toContain('Kolleginnen und Kollegen (mindestens 3, damit ihre Antworten anonym bleiben)');
    expect(request.text).toContain('Führungskraft');
    expect(request.html).toContain('lang="de"');
    expect(request.html).toContain('Bewertende vorschlagen');
    expect(request.text).not.toContain('who should give you feedback');

    const client = context.browser();
    const link = linkIn(request, '/n/');
    const page = await client.get(link);
    expect(page.text).toContain('<html lang="de">');
    expect(page.text).toContain('Wer soll Ihnen Feedback geben?');
    expect(page.text).toContain('Kolleginnen und Kollegen');
    // The client names groups as their page does.
    const sent = await client.post(link, { list: 'kim@example.com,Kim,Kolleginnen und Kollegen\nlou@example.com,Lou,Direkte Mitarbeitende' });
    expect(sent.status).toBe(200);
    expect(sent.text).toContain('2 Vorschläge liegen Ihrem Coach vor.');
    const nominations = await context.db.selectFrom('nominations').select('group_key').where('round_id', '=', round.id).orderBy('position').execute();
    expect(nominations.map((row) => row.group_key)).toEqual(['peers', 'reports']);
  });

  it("moves a draft round's self-assessment to the engagement's new language; a launched round keeps its own", async () => {
    const engagement = await clientEngagement('en', 'lena.rounds@example.com');
    const { round: launched } = await createRoundWithRaters(context, coach, { peers: 3 }, { engagement });
    await launch(context, coach, launched.id);
    const { round: draft } = await createRoundWithRaters(context, coach, { peers: 3 }, { engagement });
    const clientLanguage = async (roundId: string) =>
      (await context.db.selectFrom('invitations').select('language').where('round_id', '=', roundId).where('is_client', '=', 1).executeTakeFirstOrThrow()).language;
    const raterLanguages = async (roundId: string) =>
      (await context.db.selectFrom('invitations').select('language').where('round_id', '=', roundId).where('is_client', '=', 0).execute()).map((row) => row.language);
    const edit = { clientName: 'Lena Vogel', clientEmail: 'lena.rounds@example.com', organisation: 'Northwind', role: 'COO', startDate: '2026-02-01', notes: '' };

    expect((await browser.post(`/engagements/${engagement.id}/edit`, { ...edit, language: 'fr' })).status).toBe(303);
    expect(await clientLanguage(draft.id)).toBe('fr');
    expect(await clientLanguage(launched.id)).toBe('en');
    expect(await raterLanguages(draft.id)).toEqual(['en', 'en', 'en']);

    // An edit that keeps the language leaves a choice the coach made for the client alone.
    const self = await context.db.selectFrom('invitations').select('id').where('round_id', '=', draft.id).where('is_client', '=', 1).executeTakeFirstOrThrow();
    expect((await browser.post(`/rounds/${draft.id}/raters/${self.id}/language`, { language: 'nl' })).status).toBe(303);
    expect((await browser.post(`/engagements/${engagement.id}/edit`, { ...edit, notes: 'Kick-off done', language: 'fr' })).status).toBe(303);
    expect(await clientLanguage(draft.id)).toBe('nl');
    expect((await browser.post(`/engagements/${engagement.id}/edit`, { ...edit, language: 'es' })).status).toBe(303);
    expect(await clientLanguage(draft.id)).toBe('es');

    // Launched an hour after the other round, so it is the one launched last.
    context.clock.advanceMinutes(60);
    await launch(context, coach, draft.id);
    await deliverOutbox(context);
    // Lena still owes the launched round's self-assessment, so both come in one email, in the language of the round launched last.
    expect((await mailTo('lena.rounds@example.com')).subject).toMatch(/^Solicitudes de feedback de .+: 2 encuestas, la primera antes del 16 mar 2026$/);
  });
});
