import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Coach } from '../../server/auth/coach';
import { createApiToken } from '../../server/api/api-tokens.service';
import { DATABASE_KINDS } from '../helpers/databases';
import type { TestBrowser } from '../helpers/http-client';
import { createCoach, createTestContext, signedInBrowser, type TestContext } from '../helpers/test-app';

/** A questionnaire document without any translation: covered in its own language only. */
function untranslated(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(untranslated);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'translations').map(([key, inner]) => [key, untranslated(inner)]));
}

describe.each(DATABASE_KINDS)("a round's languages through the API and the round page (%s)", (kind) => {
  let context: TestContext;
  let coach: Coach;
  let browser: TestBrowser;
  let api: (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON of many shapes
  let engagementId: string;
  let englishOnlyId: string;

  beforeAll(async () => {
    context = await createTestContext(kind);
    coach = await createCoach(context);
    browser = await signedInBrowser(context, coach);
    const token = (await createApiToken(context.db, context.clock, coach.id, 'CRM')).token;
    api = async (method, path, body) => {
      const response = await context.app.request(`/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: await response.json() };
    };
    engagementId = (await api('POST', '/engagements', { clientName: 'Jordan Lee', clientEmail: 'jordan@example.com', language: 'es' })).body.id;
    const builtin = await api('GET', '/questionnaires/leadership-360');
    const copy = await api('POST', '/questionnaires', { ...(untranslated(builtin.body.document) as object), name: 'English only' });
    expect(copy.status).toBe(201);
    expect(copy.body.languages).toEqual(['en']);
    englishOnlyId = copy.body.id;
  });
  afterAll(() => context.close());

  it("takes the engagement's language by default, a chosen one otherwise, and each rater's own or the round's", async () => {
    const byDefault = await api('POST', '/rounds', { engagementId, questionnaireId: 'leadership-360', deadline: '2026-03-16' });
    expect(byDefault.status).toBe(201);
    expect(byDefault.body.language).toBe('es');

    const round = await api('POST', '/rounds', {
      engagementId,
      questionnaireId: 'leadership-360',
      deadline: '2026-03-16',
      language: 'fr',
      raters: [
        { email: 'ana@example.com', group: 'peers', language: 'nl' },
        { email: 'bo@example.com', group: 'peers' },
      ],
    });
    expect(round.status).toBe(201);
    expect(round.body.language).toBe('fr');
    const invitations = await api('GET', `/rounds/${round.body.id}/invitations`);
    const languageOf = (email: string) => invitations.body.items.find((item: { email: string }) => item.email === email).language;
    // The client reads their self-assessment in the engagement's language, whatever the raters'.
    expect([languageOf('jordan@example.com'), languageOf('ana@example.com'), languageOf('bo@example.com')]).toEqual(['es', 'nl', 'fr']);

    const patched = await api('PATCH', `/rounds/${round.body.id}`, { language: 'de' });
    expect(patched.status).toBe(200);
    expect(patched.body.language).toBe('de');
    await api('POST', `/rounds/${round.body.id}/raters`, { raters: [{ email: 'cy@example.com', group: 'others' }] });
    expect((await api('GET', `/rounds/${round.body.id}/invitations`)).body.items.at(-1)).toMatchObject({ email: 'cy@example.com', language: 'de' });
  });

  it('refuses a language that is not one of the five with the standard error body, naming the field', async () => {
    const badRound = await api('POST', '/rounds', { engagementId, questionnaireId: 'leadership-360', deadline: '2026-03-16', language: 'it' });
    expect(badRound.status).toBe(422);
    expect(badRound.body.error.code).toBe('invalid');
    expect(badRound.body.error.details).toHaveProperty('language');
    const round = await api('POST', '/rounds', { engagementId, questionnaireId: 'leadership-360', deadline: '2026-03-16' });
    const badRater = await api('POST', `/rounds/${round.body.id}/raters`, { raters: [{ email: 'dee@example.com', group: 'peers', language: 'French' }] });
    expect(badRater.status).toBe(422);
    expect(badRater.body.error.details).toHaveProperty(['raters.0.language']);
    expect((await api('PATCH', `/rounds/${round.body.id}`, { language: 'xx' })).status).toBe(422);
  });

  it('launches only in languages the questionnaire covers, and the round page says what is missing', async () => {
    const round = await api('POST', '/rounds', {
      engagementId,
      questionnaireId: englishOnlyId,
      deadline: '2026-03-16',
      language: 'en',
      raters: ['a', 'b', 'c'].map((name) => ({ email: `${name}@example.com`, group: 'peers' })).concat([{ email: 'fr@example.com', group: 'peers', language: 'fr' } as never]),
    });
    expect(round.status).toBe(201);
    // The client's Spanish self-assessment and the French rater: both are missing every text.
    const refused = await api('POST', `/rounds/${round.body.id}/launch`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/^The questionnaire is not fully translated into French \(\d+ texts missing\) and Spanish \(\d+ texts missing\)/);
    expect(Object.keys(refused.body.error.details.languages).sort()).toEqual(['es', 'fr']);

    const page = await browser.get(`/rounds/${round.body.id}`);
    expect(page.text).toContain('This round cannot be launched yet.');
    expect(page.text).toContain(`href="/questionnaires/${englishOnlyId}/translations/fr"`);
    expect(page.text).toContain(`href="/questionnaires/${englishOnlyId}/translations/es"`);
    expect(page.text).toMatch(/Français: \d+ texts missing/);
    expect(page.text).not.toContain('>Launch round</button>');
    expect((await browser.post(`/rounds/${round.body.id}/launch`)).status).toBe(409);

    // Every rater and the client in English: it launches.
    const invitations = (await api('GET', `/rounds/${round.body.id}/invitations`)).body.items as Array<{ id: string; email: string }>;
    for (const invitation of invitations.filter((item) => item.email === 'fr@example.com' || item.email === 'jordan@example.com')) {
      expect((await browser.post(`/rounds/${round.body.id}/raters/${invitation.id}/language`, { language: 'en' })).status).toBe(303);
    }
    expect((await api('POST', `/rounds/${round.body.id}/launch`)).status).toBe(200);
    // Once launched, a rater can only be given a covered language.
    expect((await browser.post(`/rounds/${round.body.id}/raters/${invitations[1]!.id}/language`, { language: 'de' })).status).toBe(409);
    // The refusal names the language and what it lacks in the coach's language.
    await context.db.updateTable('coaches').set({ language: 'fr' }).where('id', '=', coach.id).execute();
    const inFrench = await browser.post(`/rounds/${round.body.id}/raters/${invitations[1]!.id}/language`, { language: 'de' });
    await context.db.updateTable('coaches').set({ language: 'en' }).where('id', '=', coach.id).execute();
    expect(inFrench.status).toBe(409);
    expect(inFrench.text).toMatch(/Le questionnaire n’est pas entièrement traduit dans ces langues\u00a0: allemand \(\d+ textes manquants\)\. Traduisez-le/);
    const late = await api('POST', `/rounds/${round.body.id}/raters`, { raters: [{ email: 'late@example.com', group: 'others', language: 'nl' }] });
    expect(late.status).toBe(409);
  });

  it("pre-fills an evaluation re-run's message to raters in the round's language, and the coach's English account does not change it", async () => {
    const baseline = await api('POST', '/rounds', { engagementId, questionnaireId: 'leadership-360', deadline: '2026-03-16', language: 'fr', raters: [{ email: 'cleo@example.com', group: 'peers' }] });
    expect((await api('POST', `/rounds/${baseline.body.id}/launch`)).status).toBe(200);
    expect((await api('POST', `/rounds/${baseline.body.id}/close`)).status).toBe(200);
    const evaluation = await api('POST', `/rounds/${baseline.body.id}/rerun`);
    expect(evaluation.status).toBe(201);
    // Launched on 2 March 2026 (the test clock).
    const { message } = await context.db.selectFrom('rounds').select('message').where('id', '=', evaluation.body.id).executeTakeFirstOrThrow();
    expect(message).toBe('Ce questionnaire fait suite au feedback que vous avez donné en mars 2026. Merci de décrire la situation telle qu’elle est aujourd’hui\u00a0; inutile de vous souvenir de vos réponses d’alors.');
    const edit = await browser.get(`/rounds/${evaluation.body.id}/edit`);
    expect(edit.text).toContain('Ce questionnaire fait suite au feedback que vous avez donné en mars 2026.');
  });

  it('offers the language on the new-round form, set to the engagement’s, and keeps the chosen one', async () => {
    const form = await browser.get(`/engagements/${engagementId}/rounds/new`);
    expect(form.text).toMatch(/<option value="es" selected lang="es">Español<\/option>/);
    const engagement = (await api('GET', `/engagements/${engagementId}`)).body;
    expect(engagement.language).toBe('es');
  });
});
