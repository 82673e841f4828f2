import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../server/api/api-tokens.service';
import { issueSetupToken } from '../../server/auth/auth.service';
import { browserLanguage } from '../../server/http/reader-language';
import { mailContext } from '../../server/http/mail-context';
import { addRaterList } from '../../server/rounds/invitations.service';
import { DATABASE_KINDS } from '../helpers/databases';
import { deliverOutbox, linkIn, readEmlOutbox } from '../helpers/mail';
import { createRoundWithRaters, launch } from '../helpers/rounds';
import { TEST_PASSWORD, createCoach, createTestContext, signedInBrowser, type TestContext } from '../helpers/test-app';

/**
 * Pages read by someone not signed in (sign-in, account setup) follow the browser's
 * Accept-Language; error pages follow the signed-in coach's language, the language of the rater's
 * or client's link once it is found, and else the browser's.
 */
const GERMAN_BROWSER = { 'accept-language': 'de-DE,de;q=0.9,en-US;q=0.8,en;q=0.7' };

describe("the browser's language", () => {
  it('is the best of the five it accepts, by weight and by language for a regional variant; else English', () => {
    expect(browserLanguage(GERMAN_BROWSER['accept-language'])).toBe('de');
    expect(browserLanguage('de-CH')).toBe('de');
    expect(browserLanguage('ja, es;q=0.4, fr;q=0.6')).toBe('fr');
    expect(browserLanguage('fr;q=0, nl')).toBe('nl');
    expect(browserLanguage('ja')).toBe('en');
    expect(browserLanguage('')).toBe('en');
    expect(browserLanguage(undefined)).toBe('en');
  });
});

describe.each(DATABASE_KINDS)('sign-in, setup and error pages in their reader\'s language (%s)', (kind) => {
  let context: TestContext;
  beforeAll(async () => {
    context = await createTestContext(kind);
  });
  afterAll(() => context.close());

  // First: a setup link is issued only while there is no account.
  it('shows the first-run setup page in French, with its messages, and welcomes the new administrator in their account language', async () => {
    const token = await issueSetupToken(context.db, context.clock);
    const browser = context.browser();
    const french = { 'accept-language': 'fr-FR,fr;q=0.9' };
    const page = await browser.get(`/setup/${token}`, french);
    expect(page.text).toContain('<html lang="fr">');
    expect(page.text).toContain('<h1>Créer le compte administrateur</h1>');
    expect(page.text).toContain('>Votre nom</label>');
    expect(page.text).toContain('Au moins 10 caractères.');
    const invalid = await browser.post(`/setup/${token}`, { name: '', email: 'nope', password: 'short' }, { headers: french });
    expect(invalid.status).toBe(422);
    expect(invalid.text).toContain('Le champ «\u00a0Nom\u00a0» est obligatoire.');
    expect(invalid.text).toContain('Le champ «\u00a0E-mail\u00a0» doit contenir une adresse e-mail valide');
    expect(invalid.text).toContain('Le champ «\u00a0Mot de passe\u00a0» doit contenir au moins 10 caractères.');
    const created = await browser.post(`/setup/${token}`, { name: 'Ada Coach', email: 'ada@example.com', password: TEST_PASSWORD }, { headers: french });
    expect(created.status).toBe(303);
    // A new account's language is English until its coach chooses another on the account page.
    expect((await browser.get('/engagements')).text).toContain('Welcome, Ada Coach. Your administrator account is ready.');
  });

  it("shows the sign-in page in the browser's language, its messages too", async () => {
    const browser = context.browser();
    const page = await browser.get('/login', GERMAN_BROWSER);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html lang="de">');
    expect(page.text).toContain('<title>Anmelden');
    expect(page.text).toContain('<h1>Anmelden</h1>');
    expect(page.text).toContain('>E-Mail</label>');
    expect(page.text).toContain('>Passwort</label>');
    expect(page.text).toContain('Bewertende und Klienten brauchen kein Konto');
    expect(page.text).not.toContain('Sign in');

    const empty = await browser.post('/login', { email: '', password: '' }, { headers: GERMAN_BROWSER });
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('Das Feld „E-Mail“ muss ausgefüllt werden.');
    expect(empty.text).toContain('Das Feld „Passwort“ muss ausgefüllt werden.');
    expect(empty.text).not.toContain('is required');

    const coach = await createCoach(context);
    const wrong = await browser.post('/login', { email: coach.email, password: 'not the password' }, { headers: GERMAN_BROWSER });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('E-Mail-Adresse oder Passwort ist nicht korrekt.');
  });

  it('keeps English for a browser that asks for none of the five, and says goodbye in the language of the sign-in page that follows', async () => {
    const page = await context.browser().get('/login', { 'accept-language': 'ja' });
    expect(page.text).toContain('<html lang="en">');
    expect(page.text).toContain('<h1>Sign in</h1>');

    const coach = await createCoach(context);
    const browser = await signedInBrowser(context, coach);
    const out = await browser.post('/logout', {}, { headers: { 'accept-language': 'nl' } });
    expect(out.status).toBe(303);
    const next = await browser.get(out.location!, { 'accept-language': 'nl' });
    expect(next.text).toContain('U bent afgemeld.');
    expect(next.text).toContain('<h1>Aanmelden</h1>');
  });

  it('answers an unknown survey link in the browser\'s language', async () => {
    const page = await context.browser().get('/s/this-link-does-not-exist', { 'accept-language': 'es-ES,es;q=0.9' });
    expect(page.status).toBe(404);
    expect(page.text).toContain('<html lang="es">');
    expect(page.text).toContain('<h1>Página no encontrada</h1>');
    expect(page.text).toContain('Esta página no existe o no tiene acceso a ella.');
    expect(page.text).toContain('Ir a la página de inicio');
    expect(page.text).not.toContain('Page not found');
    // Asked for JSON, the answer stays English.
    const api = await context.app.request('/s/this-link-does-not-exist', { headers: { 'accept-language': 'es', accept: 'application/json' } });
    expect(await api.json()).toEqual({ error: { code: 'not_found', message: 'This page does not exist, or you do not have access to it.' } });
  });

  it("shows a signed-in coach's error pages in their language, whatever the browser's", async () => {
    const coach = await createCoach(context);
    const browser = await signedInBrowser(context, coach);
    await context.db.updateTable('coaches').set({ language: 'fr' }).where('id', '=', coach.id).execute();
    const page = await browser.get('/engagements/no-such-engagement', { 'accept-language': 'de' });
    expect(page.status).toBe(404);
    expect(page.text).toContain('<html lang="fr">');
    expect(page.text).toContain('<h1>Page introuvable</h1>');
    expect(page.text).toContain('Cette page n’existe pas, ou vous n’y avez pas accès.');
    expect(page.text).toContain('Retour à vos accompagnements');
    // A rule of a service, refused with 409: its message in French as well.
    const { round } = await createRoundWithRaters(context, coach, {});
    const early = await browser.post(`/rounds/${round.id}/close`, {});
    expect(early.status).toBe(409);
    expect(early.text).toContain('<h1>Impossible pour le moment</h1>');
    expect(early.text).toContain('Seule une campagne ouverte peut être clôturée.');
    const list = await browser.post(`/rounds/${round.id}/raters/import`, { list: 'not-an-email,Kim,peers\nkim@example.com,Kim,board' });
    expect(list.status).toBe(422);
    expect(list.text).toContain('«\u00a0not-an-email\u00a0» n’est pas une adresse e-mail valide.');
    expect(list.text).toContain('Groupe inconnu\u00a0: «\u00a0board\u00a0».');
    const { token } = await createApiToken(context.db, context.clock, coach.id, 'errors test');
    const api = await context.app.request(`/api/v1/rounds/${round.id}/close`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'accept-language': 'fr' } });
    expect(api.status).toBe(409);
    expect(await api.json()).toEqual({ error: { code: 'conflict', message: 'Only an open round can be closed.' } });
    // A form refused for its CSRF token is answered before the session is read: in the browser's language.
    const refused = await browser.post('/engagements', { clientName: 'X' }, { csrf: 'forged', headers: { 'accept-language': 'de' } });
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('<h1>Nicht erlaubt</h1>');
    expect(refused.text).toContain('Dieses Formular ist abgelaufen oder stammt nicht von dieser Website.');
  });

  it("shows an error on a rater's survey link in the rater's language once the link is found", async () => {
    const coach = await createCoach(context);
    const { round } = await createRoundWithRaters(context, coach, {});
    const raters = ['manager', 'peers', 'peers', 'peers'].map((group, index) => `${group}-${index}-fr@example.com,Rater ${index},${group},fr`);
    expect((await addRaterList(context.db, mailContext(context.deps), coach.id, round.id, raters.join('\n'))).errors).toEqual([]);
    await launch(context, coach, round.id);
    await deliverOutbox(context);
    const mail = (await readEmlOutbox(context)).find((message) => message.text?.includes('/s/') && JSON.stringify(message.to).includes('peers-1-fr@example.com'));
    const link = linkIn(mail!, '/s/');
    const browser = context.browser();
    expect((await browser.get(link, { 'accept-language': 'en' })).text).toContain('<html lang="fr">');
    const refused = await browser.post(link, { switchLanguage: 'tlh' }, { headers: { 'accept-language': 'en' } });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain('<html lang="fr">');
    expect(refused.text).toContain('<h1>Requête incorrecte</h1>');
    expect(refused.text).toContain('Choisissez l’une des langues proposées sur la page.');
  });
});
