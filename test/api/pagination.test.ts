import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../server/api/api-tokens.service';
import { DATABASE_KINDS } from '../helpers/databases';
import { TEST_ORIGIN } from '../helpers/http-client';
import { createCoach, createTestContext, type TestContext } from '../helpers/test-app';

interface Answer {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON of many shapes
}

describe.each(DATABASE_KINDS)('pages of the API lists (%s)', (kind) => {
  let context: TestContext;
  let call: (method: string, path: string, body?: unknown) => Promise<Answer>;

  beforeAll(async () => {
    context = await createTestContext(kind);
    const coach = await createCoach(context);
    const { token } = await createApiToken(context.db, context.clock, coach.id, 'CRM');
    call = async (method, path, body) => {
      const response = await context.app.request(path.startsWith('http') ? path : `/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: await response.json() };
    };
  });
  afterAll(() => context.close());

  /** Every item of a list, following `next` links from `path`; also the links followed. */
  async function everyPage(path: string): Promise<{ ids: string[]; links: string[] }> {
    const ids: string[] = [];
    const links: string[] = [];
    let page = await call('GET', path);
    for (;;) {
      expect(page.status).toBe(200);
      ids.push(...page.body.items.map((item: { id: string }) => item.id));
      if (!page.body.next) return { ids, links };
      links.push(page.body.next);
      page = await call('GET', page.body.next);
    }
  }

  it('lists engagements a page at a time, most recently changed first, following `next` with the same filters', async () => {
    const created: string[] = [];
    for (let index = 0; index < 7; index += 1) {
      context.clock.advanceMinutes(1);
      const engagement = await call('POST', '/engagements', { clientName: `Paged Client ${index}`, clientEmail: `paged${index}@example.com`, organisation: index % 2 ? 'Odd Org' : 'Even Org', stage: 'assessment' });
      created.push(engagement.body.id);
    }
    const all = await everyPage('/engagements?limit=3');
    expect(all.ids).toEqual([...created].reverse());
    expect(all.links).toHaveLength(2);
    for (const link of all.links) {
      const url = new URL(link);
      expect(url.origin).toBe(TEST_ORIGIN);
      expect(url.pathname).toBe('/api/v1/engagements');
      expect(url.searchParams.get('limit')).toBe('3');
    }

    // Filters travel with the cursor: only "Odd Org", still three a page.
    const odd = await everyPage('/engagements?limit=2&q=odd%20org&stage=assessment');
    expect(odd.ids).toEqual([created[5], created[3], created[1]]);
    expect(new URL(odd.links[0]!).searchParams.get('q')).toBe('odd org');

    // An engagement added after the first page was read does not shift the next pages.
    const first = await call('GET', '/engagements?limit=3');
    context.clock.advanceMinutes(1);
    await call('POST', '/engagements', { clientName: 'Latecomer', clientEmail: 'late@example.com' });
    const second = await call('GET', first.body.next!);
    expect(second.body.items.map((item: { id: string }) => item.id)).toEqual([created[3], created[2], created[1]]);
  });

  it('lists questionnaires a page at a time, the built-in one first, then by name', async () => {
    const builtin = await call('GET', '/questionnaires?limit=1');
    expect(builtin.body.items.map((item: { id: string }) => item.id)).toEqual(['leadership-360']);
    const source = await call('GET', '/questionnaires/leadership-360');
    const names = ['Charlie', 'alpha', 'Bravo', 'Delta'];
    for (const name of names) await call('POST', '/questionnaires', { ...source.body.document, name });
    const all = await everyPage('/questionnaires?limit=2');
    const listed = await Promise.all(all.ids.map(async (id) => (await call('GET', `/questionnaires/${id}`)).body.document.name as string));
    expect(listed).toHaveLength(5);
    expect(listed[0]).toBe('Leadership 360');
    // By name in the database's own collation (SQLite and PostgreSQL differ on case); each exactly once.
    expect([...listed.slice(1)].sort()).toEqual([...names].sort());
    expect((await everyPage('/questionnaires?q=ALPHA')).ids).toHaveLength(1);
  });

  it('refuses a cursor that is not one of ours, and a limit outside 1..100, with 422', async () => {
    for (const path of ['/engagements?cursor=not-a-cursor', '/engagements?cursor=WzEsMiwzXQ', '/questionnaires?cursor=WyJ4Il0']) {
      const answer = await call('GET', path);
      expect(answer.status, path).toBe(422);
      expect(answer.body.error.details).toHaveProperty('cursor');
    }
    for (const limit of ['0', '101', 'ten']) expect((await call('GET', `/engagements?limit=${limit}`)).status).toBe(422);
  });
});
