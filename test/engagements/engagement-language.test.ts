import { describe, expect, it } from 'vitest';
import { setCoachLanguage } from '../../server/auth/auth.service';
import { createApiToken } from '../../server/api/api-tokens.service';
import { DATABASE_KINDS } from '../helpers/databases';
import { signedInCoachPerSuite } from '../helpers/suite';

describe.each(DATABASE_KINDS)("the client's language on an engagement (%s)", (kind) => {
  const suite = signedInCoachPerSuite(kind);

  const fields = { clientName: 'Lena Vogel', clientEmail: 'lena@example.com', organisation: '', role: '', startDate: '2026-02-16', notes: '', stage: 'contracting' };
  const languageOf = async (id: string) => (await suite.context.db.selectFrom('engagements').select('language').where('id', '=', id).executeTakeFirstOrThrow()).language;

  it("offers the coach's account language on a new engagement, stores the one chosen and shows it", async () => {
    await setCoachLanguage(suite.context.db, suite.coach.id, 'fr');
    const form = await suite.browser.get('/engagements/new');
    expect(form.text).toMatch(/<option value="fr" lang="fr" selected>Français<\/option>/);
    const created = await suite.browser.post('/engagements', { ...fields, language: 'de' });
    const id = created.location!.split('/').pop()!;
    expect(await languageOf(id)).toBe('de');
    await setCoachLanguage(suite.context.db, suite.coach.id, 'en');
    const page = await suite.browser.get(`/engagements/${id}`);
    expect(page.text).toContain('Report and emails to the client in German');
    const edit = await suite.browser.get(`/engagements/${id}/edit`);
    expect(edit.text).toMatch(/<option value="de" lang="de" selected>Deutsch<\/option>/);
  });

  it("takes the coach's language when the form has none, keeps it on an edit without one and refuses an unknown one", async () => {
    await setCoachLanguage(suite.context.db, suite.coach.id, 'nl');
    const created = await suite.browser.post('/engagements', fields);
    const id = created.location!.split('/').pop()!;
    expect(await languageOf(id)).toBe('nl');
    expect((await suite.browser.post(`/engagements/${id}/edit`, { ...fields, language: 'es' })).status).toBe(303);
    expect(await languageOf(id)).toBe('es');
    expect((await suite.browser.post(`/engagements/${id}/edit`, fields)).status).toBe(303);
    expect(await languageOf(id)).toBe('es');
    const refused = await suite.browser.post(`/engagements/${id}/edit`, { ...fields, language: 'xx' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('id="f-language-error"');
    expect(await languageOf(id)).toBe('es');
    await setCoachLanguage(suite.context.db, suite.coach.id, 'en');
  });

  it('reads, creates and changes the language through the API, and refuses an unknown one with the standard error', async () => {
    const { token } = await createApiToken(suite.context.db, suite.context.clock, suite.coach.id, 'CRM');
    const api = async (method: string, path: string, body?: unknown) => {
      const response = await suite.context.app.request(`/api/v1${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> & { error?: { code: string; details: Record<string, string> } } };
    };
    await setCoachLanguage(suite.context.db, suite.coach.id, 'es');
    const byDefault = await api('POST', '/engagements', { clientName: 'Ana Ruiz', clientEmail: 'ana@example.com' });
    expect(byDefault.status).toBe(201);
    expect(byDefault.body.language).toBe('es');
    const chosen = await api('POST', '/engagements', { clientName: 'Jan de Vries', clientEmail: 'jan@example.com', language: 'nl' });
    expect(chosen.body.language).toBe('nl');
    const id = chosen.body.id as string;
    expect((await api('PATCH', `/engagements/${id}`, { language: 'fr' })).body.language).toBe('fr');
    expect((await api('GET', `/engagements/${id}`)).body.language).toBe('fr');
    expect((await api('PATCH', `/engagements/${id}`, { role: 'CFO' })).body.language).toBe('fr');
    const refused = await api('PATCH', `/engagements/${id}`, { language: 'klingon' });
    expect(refused.status).toBe(422);
    expect(refused.body.error?.code).toBe('invalid');
    expect(Object.keys(refused.body.error?.details ?? {})).toEqual(['language']);
    expect((await api('POST', '/engagements', { clientName: 'X', clientEmail: 'x@example.com', language: 'EN' })).status).toBe(422);
    expect(await languageOf(id)).toBe('fr');
    await setCoachLanguage(suite.context.db, suite.coach.id, 'en');
  });

  it("shows the coach's engagement list, engagement page, form and flash messages in the coach's language", async () => {
    await setCoachLanguage(suite.context.db, suite.coach.id, 'fr');
    const created = await suite.browser.post('/engagements', { ...fields, clientName: 'Émilie Durand' });
    const id = created.location!.split('/').pop()!;
    const page = await suite.browser.get(`/engagements/${id}`);
    expect(page.text).toContain('Accompagnement de Émilie Durand créé.');
    expect(page.text).toContain('Campagnes de feedback');
    expect(page.text).toContain('Rapport et e-mails au client en français');
    expect(page.text).toContain('depuis le 16 févr. 2026');
    expect(page.text).toContain('<strong>Contractualisation</strong>');
    const list = await suite.browser.get('/engagements');
    expect(list.text).toContain('<h1>Accompagnements</h1>');
    expect(list.text).toContain('Toutes les étapes');
    const form = await suite.browser.get(`/engagements/${id}/edit`);
    expect(form.text).toContain('Nom du client');
    const saved = await suite.browser.post(`/engagements/${id}/edit`, { ...fields, clientName: 'Émilie Durand' });
    expect((await suite.browser.get(saved.location!)).text).toContain('Modifications enregistrées.');
    await setCoachLanguage(suite.context.db, suite.coach.id, 'en');
    expect((await suite.browser.get(`/engagements/${id}`)).text).toContain('Feedback rounds');
  });
});
