import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Coach } from '../../server/auth/coach';
import { DATABASE_KINDS } from '../helpers/databases';
import type { TestBrowser } from '../helpers/http-client';
import { createCoach, createTestContext, signedInBrowser, type TestContext } from '../helpers/test-app';

describe.each(DATABASE_KINDS)('engagements (%s)', (kind) => {
  let context: TestContext;
  let coach: Coach;
  let browser: TestBrowser;

  beforeAll(async () => {
    context = await createTestContext(kind);
    coach = await createCoach(context);
    browser = await signedInBrowser(context, coach);
  });
  afterAll(() => context.close());

  async function create(fields: Partial<Record<string, string>> = {}): Promise<string> {
    const response = await browser.post('/engagements', {
      clientName: 'Émilie Durand',
      clientEmail: 'emilie@example.com',
      organisation: 'Northwind Traders',
      role: 'Head of Operations',
      startDate: '2026-02-16',
      notes: 'Referred by HR.',
      stage: 'contracting',
      ...fields,
    });
    expect(response.status).toBe(303);
    return response.location!.split('/').pop()!;
  }

  it('creates an engagement and shows it with its details and first stage', async () => {
    const id = await create();
    const page = await browser.get(`/engagements/${id}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Émilie Durand');
    expect(page.text).toContain('Head of Operations');
    expect(page.text).toContain('Referred by HR.');
    expect(page.text).toContain('since 16 Feb 2026');
    const row = await context.db.selectFrom('engagements').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ coach_id: coach.id, client_email: 'emilie@example.com', stage: 'contracting', archived_at: null });
  });

  it('edits the details and keeps the input with a message per field when it is invalid', async () => {
    const id = await create({ clientName: 'Sam Okafor' });
    const invalid = await browser.post(`/engagements/${id}/edit`, {
      clientName: '',
      clientEmail: 'not an email',
      organisation: 'Contoso <b>bold</b>',
      role: '',
      startDate: '2026-02-30',
      notes: '',
    });
    expect(invalid.status).toBe(422);
    expect(invalid.text).toContain('Client name is required.');
    expect(invalid.text).toContain('Client email must be a valid email address');
    expect(invalid.text).toContain('Start date is not a real date.');
    expect(invalid.text).toContain('value="Contoso &lt;b&gt;bold&lt;/b&gt;"');
    expect(invalid.text).toContain('value="not an email"');

    const saved = await browser.post(`/engagements/${id}/edit`, {
      clientName: 'Sam Okafor',
      clientEmail: 'SAM@EXAMPLE.COM',
      organisation: 'Contoso',
      role: 'COO',
      startDate: '2026-03-01',
      notes: 'Second contract.',
    });
    expect(saved.status).toBe(303);
    const row = await context.db.selectFrom('engagements').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ client_name: 'Sam Okafor', client_email: 'sam@example.com', organisation: 'Contoso', role: 'COO', notes: 'Second contract.' });
  });

  it('records the stage timeline forwards and back, with the day each stage was entered', async () => {
    const id = await create({ clientName: 'Timeline Client', startDate: '2026-01-05' });
    for (const [stage, enteredOn] of [
      ['rapport', '2026-01-12'],
      ['assessment', '2026-01-26'],
      ['rapport', '2026-02-02'],
      ['assessment', '2026-02-09'],
    ]) {
      expect((await browser.post(`/engagements/${id}/stage`, { stage: stage!, enteredOn: enteredOn! })).status).toBe(303);
    }
    // Moving to the current stage again adds nothing.
    await browser.post(`/engagements/${id}/stage`, { stage: 'assessment', enteredOn: '2026-02-10' });
    const entries = await context.db
      .selectFrom('engagement_stages')
      .select(['stage', 'entered_on'])
      .where('engagement_id', '=', id)
      .orderBy('entered_on')
      .execute();
    expect(entries).toEqual([
      { stage: 'contracting', entered_on: '2026-01-05' },
      { stage: 'rapport', entered_on: '2026-01-12' },
      { stage: 'assessment', entered_on: '2026-01-26' },
      { stage: 'rapport', entered_on: '2026-02-02' },
      { stage: 'assessment', entered_on: '2026-02-09' },
    ]);
    const page = await browser.get(`/engagements/${id}`);
    const timeline = page.text.slice(page.text.indexOf('class="timeline"'));
    expect(timeline.indexOf('Building rapport')).toBeLessThan(timeline.indexOf('since 9 Feb 2026'));
    expect(page.text).toContain('aria-current="step">Assessment and discovery');

    const invalid = await browser.post(`/engagements/${id}/stage`, { stage: 'finished', enteredOn: 'yesterday' });
    expect(invalid.status).toBe(422);
    expect(invalid.text).toContain('Choose one of the stages.');
    expect(invalid.text).toContain('Date entered must be a date');
  });

  it('lists, searches (ignoring case and accents) and filters by stage', async () => {
    const fresh = await signedInBrowser(context, await createCoach(context));
    const make = async (clientName: string, organisation: string, stage: string) =>
      fresh.post('/engagements', { clientName, clientEmail: 'c@example.com', organisation, role: '', startDate: '2026-01-01', notes: '', stage });
    await make('Zoë Martin', 'Fabrikam', 'implementation');
    await make('Priya Natarajan', 'Tailspin Toys', 'assessment');
    await make('Lars Eriksen', 'Fabrikam', 'assessment');

    const all = await fresh.get('/engagements');
    for (const name of ['Zoë Martin', 'Priya Natarajan', 'Lars Eriksen']) expect(all.text).toContain(name);

    const byOrganisation = await fresh.get('/engagements?q=fabri');
    expect(byOrganisation.text).toContain('Zoë Martin');
    expect(byOrganisation.text).toContain('Lars Eriksen');
    expect(byOrganisation.text).not.toContain('Priya Natarajan');

    const accentless = await fresh.get('/engagements?q=zoe');
    expect(accentless.text).toContain('Zoë Martin');
    expect(accentless.text).not.toContain('Lars Eriksen');

    const byStage = await fresh.get('/engagements?stage=assessment&q=fabrikam');
    expect(byStage.text).toContain('Lars Eriksen');
    expect(byStage.text).not.toContain('Zoë Martin');

    const none = await fresh.get('/engagements?q=%25');
    expect(none.text).toContain('No engagement matches this search.');
    expect((await fresh.get('/engagements?stage=nonsense')).status).toBe(200);
  });

  it('archives and restores, keeping archived ones out of the main list', async () => {
    const id = await create({ clientName: 'Archived Person' });
    expect((await browser.post(`/engagements/${id}/archive`)).status).toBe(303);
    expect((await browser.get('/engagements')).text).not.toContain('Archived Person');
    expect((await browser.get('/engagements?archived=1')).text).toContain('Archived Person');
    expect((await browser.post(`/engagements/${id}/unarchive`)).status).toBe(303);
    expect((await browser.get('/engagements')).text).toContain('Archived Person');
  });

  it('answers 404 for unknown engagement ids', async () => {
    expect((await browser.get('/engagements/does-not-exist')).status).toBe(404);
    expect((await browser.post('/engagements/does-not-exist/archive')).status).toBe(404);
  });
});
