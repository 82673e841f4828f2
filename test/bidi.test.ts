import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Coach } from '../server/auth/coach';
import { isolateBidi } from '../server/views';
import { DATABASE_KINDS } from './helpers/databases';
import type { TestBrowser } from './helpers/http-client';
import { deliverOutbox, readEmlOutbox, recipientsOf } from './helpers/mail';
import { createRoundWithRaters, launch } from './helpers/rounds';
import { createCoach, createTestContext, signedInBrowser, type TestContext } from './helpers/test-app';

const FSI = '\u2068';
const PDI = '\u2069';
const RLO = '\u202E';

describe('isolating text that could turn the text around it', () => {
  it('wraps right-to-left text and direction controls in FSI … PDI, and leaves the rest as it was', () => {
    const plain = { name: 'Jordan Lee', nested: [{ label: 'Peers' }] };
    expect(isolateBidi(plain)).toBe(plain); // nothing to do: not even a copy
    expect(isolateBidi({ organisation: `Acme${RLO} Ltd`, name: 'Jordan' })).toEqual({ organisation: `${FSI}Acme${RLO} Ltd${PDI}`, name: 'Jordan' });
    expect(isolateBidi({ client: 'דנה לוי', list: ['مرحبا', 'hello'] })).toEqual({ client: `${FSI}דנה לוי${PDI}`, list: [`${FSI}مرحبا${PDI}`, 'hello'] });
    // our own markup, and text isolated already, stay as they are
    expect(isolateBidi({ html: `<p>${RLO}x</p>`, done: `${FSI}דנה${PDI}` })).toEqual({ html: `<p>${RLO}x</p>`, done: `${FSI}דנה${PDI}` });
    const shared = { label: 'שלום' };
    const copy = isolateBidi({ a: shared, b: shared, when: new Date(0) });
    expect(copy.a).toBe(copy.b);
    expect(copy.when).toEqual(new Date(0));
  });
});

describe.each(DATABASE_KINDS)('user text in pages, emails and forms (%s)', (kind) => {
  let context: TestContext;
  let coach: Coach;
  let browser: TestBrowser;
  let engagementId: string;

  beforeAll(async () => {
    context = await createTestContext(kind);
    coach = await createCoach(context);
    browser = await signedInBrowser(context, coach);
    const { round, engagement } = await createRoundWithRaters(context, coach, { peers: 3 });
    engagementId = engagement.id;
    await context.db.updateTable('engagements').set({ organisation: `Acme${RLO} Ltd`, client_name: 'דנה לוי' }).where('id', '=', engagement.id).execute();
    await launch(context, coach, round.id);
    await deliverOutbox(context);
  });
  afterAll(() => context.close());

  it('isolates them on the coach\'s pages', async () => {
    const page = await browser.get(`/engagements/${engagementId}`);
    expect(page.text).toContain(`${FSI}Acme${RLO} Ltd${PDI}`);
    expect(page.text).toContain(`${FSI}דנה לוי${PDI}`);
    expect(page.text).not.toMatch(new RegExp(`[^${FSI}]Acme${RLO}`));
  });

  it('isolates them in emails, HTML and plain text', async () => {
    const invitation = (await readEmlOutbox(context)).find((mail) => recipientsOf(mail)[0]!.startsWith('peers-1'))!;
    expect(invitation.text).toContain(`${FSI}דנה לוי${PDI}`);
    expect(invitation.html).toContain(`${FSI}דנה לוי${PDI}`);
    expect(invitation.subject).toContain('דנה לוי');
  });

  it('does not store the isolate back when a form that showed the text is sent again', async () => {
    const form = await browser.get(`/engagements/${engagementId}/edit`);
    const shown = form.text.match(/name="organisation"[^>]*value="([^"]*)"/)?.[1] ?? form.text.match(/value="([^"]*)"[^>]*name="organisation"/)?.[1];
    expect(shown).toBe(`${FSI}Acme${RLO} Ltd${PDI}`);
    const saved = await browser.post(`/engagements/${engagementId}/edit`, { clientName: `${FSI}דנה לוי${PDI}`, clientEmail: 'jordan.lee@example.com', organisation: shown!, role: '', startDate: '2026-02-01', notes: '' });
    expect(saved.status).toBe(303);
    const stored = await context.db.selectFrom('engagements').select(['organisation', 'client_name']).where('id', '=', engagementId).executeTakeFirstOrThrow();
    expect(stored).toEqual({ organisation: `Acme${RLO} Ltd`, client_name: 'דנה לוי' });
  });
});
