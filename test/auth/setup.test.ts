import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countCoaches } from '../../server/auth/auth.repository';
import { issueSetupToken } from '../../server/auth/auth.service';
import { DATABASE_KINDS } from '../helpers/databases';
import { createTestContext, type TestContext } from '../helpers/test-app';

describe.each(DATABASE_KINDS)('first-run setup link (%s)', (kind) => {
  let context: TestContext;
  beforeAll(async () => {
    context = await createTestContext(kind);
  });
  afterAll(() => context.close());

  it('creates the administrator once, then the link and the page are gone', async () => {
    const token = await issueSetupToken(context.db, context.clock);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const browser = context.browser();

    expect((await browser.get(`/setup/${token}`)).status).toBe(200);
    const invalid = await browser.post(`/setup/${token}`, { name: '', email: 'not-an-email', password: 'short' });
    expect(invalid.status).toBe(422);
    expect(invalid.text).toContain('Name is required.');
    expect(invalid.text).toContain('must be a valid email address');
    expect(invalid.text).toContain('at least 10 characters');
    expect(await countCoaches(context.db)).toBe(0);

    const created = await browser.post(`/setup/${token}`, { name: 'Ada Coach', email: 'Ada@Example.com', password: 'a long enough password' });
    expect(created.status).toBe(303);
    expect(created.location).toBe('/');
    expect(await countCoaches(context.db)).toBe(1);
    // Signed in straight away, as the administrator.
    const home = await browser.get('/engagements');
    expect(home.status).toBe(200);
    expect(home.text).toContain('Ada Coach');
    expect(home.text).toContain('href="/coaches"');

    // Used once: both the page and a replayed post are a plain 404.
    expect((await context.browser().get(`/setup/${token}`)).status).toBe(404);
    const replay = await context.browser().post(`/setup/${token}`, { name: 'Mallory', email: 'm@example.com', password: 'another long password' });
    expect(replay.status).toBe(404);
    expect(await countCoaches(context.db)).toBe(1);
    // And no new link is issued once an account exists.
    expect(await issueSetupToken(context.db, context.clock)).toBeNull();
  });

  it('answers 404 to unknown and malformed setup tokens', async () => {
    const browser = context.browser();
    expect((await browser.get('/setup/unknown')).status).toBe(404);
    expect((await browser.get(`/setup/${'A'.repeat(43)}`)).status).toBe(404);
  });
});
