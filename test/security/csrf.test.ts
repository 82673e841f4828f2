import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../helpers/databases';
import { createCoach, createTestContext, signedInBrowser, type TestContext } from '../helpers/test-app';

describe.each(DATABASE_KINDS)('CSRF protection and secure headers (%s)', (kind) => {
  let context: TestContext;
  beforeAll(async () => {
    context = await createTestContext(kind);
  });
  afterAll(() => context.close());

  const engagement = {
    clientName: 'Jordan Lee',
    clientEmail: 'jordan@example.com',
    organisation: 'Acme',
    role: 'CFO',
    startDate: '2026-03-01',
    notes: '',
    stage: 'contracting',
  };

  async function engagementCount(): Promise<number> {
    return (await context.db.selectFrom('engagements').select('id').execute()).length;
  }

  it('refuses a form without the token, with a wrong token, and from another origin', async () => {
    const browser = await signedInBrowser(context, await createCoach(context));
    const before = await engagementCount();

    const missing = await browser.post('/engagements', engagement, { csrf: false });
    expect(missing.status).toBe(403);
    expect(missing.text).toContain('did not come from this site');
    const wrong = await browser.post('/engagements', engagement, { csrf: 'x'.repeat(43) });
    expect(wrong.status).toBe(403);
    const crossSite = await browser.post('/engagements', engagement, { origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
    const noOrigin = await browser.post('/engagements', engagement, { origin: null });
    expect(noOrigin.status).toBe(403);
    expect(await engagementCount()).toBe(before);

    const genuine = await browser.post('/engagements', engagement);
    expect(genuine.status).toBe(303);
    expect(await engagementCount()).toBe(before + 1);
  });

  it('protects the sign-in form too, and replaces the token at sign-in', async () => {
    const coach = await createCoach(context);
    const browser = context.browser();
    const before = await browser.csrfToken();
    expect((await browser.post('/login', { email: coach.email, password: 'x' }, { csrf: false })).status).toBe(403);
    await signedInBrowserFrom(browser, coach.email);
    expect(browser.cookies.get('csrf')).not.toBe(before);
  });

  async function signedInBrowserFrom(browser: ReturnType<TestContext['browser']>, email: string) {
    const response = await browser.post('/login', { email, password: 'correct horse battery' });
    expect(response.status).toBe(303);
  }

  it('sends a strict content security policy and the other secure headers on every page', async () => {
    for (const path of ['/login', '/does-not-exist', '/healthz']) {
      const response = await context.app.request(path);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(response.headers.get('referrer-policy')).toBe('same-origin');
    }
  });

  it('rejects bodies over 2 MB with 413', async () => {
    const browser = await signedInBrowser(context, await createCoach(context));
    const response = await browser.post('/engagements', { ...engagement, notes: 'x'.repeat(2_200_000) });
    expect(response.status).toBe(413);
  });
});
