import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_KINDS } from '../helpers/databases';
import { TEST_PASSWORD, createCoach, createTestContext, signedInBrowser, type TestContext } from '../helpers/test-app';

describe.each(DATABASE_KINDS)('signing in and out (%s)', (kind) => {
  let context: TestContext;
  beforeAll(async () => {
    context = await createTestContext(kind);
  });
  afterAll(() => context.close());

  it('sends anonymous visitors of coach pages to sign in and back afterwards', async () => {
    const coach = await createCoach(context);
    const browser = context.browser();
    const form = await browser.get('/login');
    expect(form.status).toBe(200);
    expect(form.text).toContain('<h1>Sign in</h1>');
    const redirect = await browser.get('/engagements?stage=contracting');
    expect(redirect.status).toBe(303);
    expect(redirect.location).toBe('/login?next=%2Fengagements');
    const login = await browser.post('/login', { email: coach.email.toUpperCase(), password: TEST_PASSWORD, next: '/engagements' });
    expect(login.status).toBe(303);
    expect(login.location).toBe('/engagements');
  });

  it('never redirects to another site after sign-in', async () => {
    const coach = await createCoach(context);
    for (const next of ['//evil.example', 'https://evil.example', '/\\evil.example']) {
      const login = await context.browser().post('/login', { email: coach.email, password: TEST_PASSWORD, next });
      expect(login.location).toBe('/');
    }
  });

  it('sets a hardened session cookie, renews it at sign-in and ends it at sign-out', async () => {
    const coach = await createCoach(context);
    const browser = context.browser();
    browser.cookies.set('sid', 'planted-session-id-aaaaaaaaaaaaaaaaaaaaaaaaaaaaa');
    const login = await browser.post('/login', { email: coach.email, password: TEST_PASSWORD });
    const cookie = login.headers.getSetCookie().find((line) => line.startsWith('sid='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i); // PUBLIC_URL is http in tests
    const sessionId = browser.cookies.get('sid')!;
    expect(sessionId).not.toContain('planted');
    expect(sessionId).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Only the hash is stored.
    const stored = await context.db.selectFrom('sessions').select('id_hash').execute();
    expect(stored.map((row) => row.id_hash)).not.toContain(sessionId);

    expect((await browser.get('/engagements')).status).toBe(200);
    const logout = await browser.post('/logout');
    expect(logout.status).toBe(303);
    // The old cookie no longer opens anything, even when replayed.
    const replay = context.browser();
    replay.cookies.set('sid', sessionId);
    expect((await replay.get('/engagements')).status).toBe(303);
  });

  it('marks cookies Secure when the public address is https', async () => {
    const secure = await createTestContext(kind, { env: { PUBLIC_URL: 'https://coach.example.com' } });
    try {
      const response = await secure.app.request('/login');
      expect(response.headers.getSetCookie().join('\n')).toMatch(/csrf=[^;]+;.*Secure/i);
    } finally {
      await secure.close();
    }
  });

  it('answers a wrong password with one message that does not say which part was wrong', async () => {
    const coach = await createCoach(context);
    const wrongPassword = await context.browser().post('/login', { email: coach.email, password: 'not the password' });
    const unknownEmail = await context.browser().post('/login', { email: 'nobody@example.com', password: 'not the password' });
    expect(wrongPassword.status).toBe(422);
    expect(unknownEmail.status).toBe(422);
    expect(wrongPassword.text).toContain('Email or password is not correct.');
    expect(unknownEmail.text).toContain('Email or password is not correct.');
    expect(wrongPassword.text).toContain(`value="${coach.email}"`);
  });

  it('locks an email after 5 failures for 15 minutes, with a clear message, even for the right password', async () => {
    const coach = await createCoach(context);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect((await context.browser().post('/login', { email: coach.email, password: `wrong ${attempt}` })).status).toBe(422);
    }
    const locked = await context.browser().post('/login', { email: coach.email, password: TEST_PASSWORD });
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toBe('900');
    expect(locked.text).toContain('Too many failed sign-in attempts');
    expect(locked.text).toContain('15 minutes');

    context.clock.advanceMinutes(16);
    expect((await context.browser().post('/login', { email: coach.email, password: TEST_PASSWORD })).status).toBe(303);
  });

  it('limits failures per address across different emails', async () => {
    const browser = context.browser();
    // All test requests share one address; 20 failures from it lock it for every email.
    context.clock.advanceDays(1);
    for (let attempt = 0; attempt < 20; attempt += 1) {
      await browser.post('/login', { email: `someone${attempt}@example.com`, password: 'guess' });
    }
    const coach = await createCoach(context);
    const locked = await browser.post('/login', { email: coach.email, password: TEST_PASSWORD });
    expect(locked.status).toBe(429);
    context.clock.advanceDays(1);
  });

  it('changes the password only with the current one, and signs out other sessions', async () => {
    const coach = await createCoach(context);
    const laptop = await signedInBrowser(context, coach);
    const phone = await signedInBrowser(context, coach);

    const wrong = await laptop.post('/account/password', { currentPassword: 'nope', newPassword: 'a brand new password', confirmPassword: 'a brand new password' });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('The current password is not correct.');
    const mismatch = await laptop.post('/account/password', { currentPassword: TEST_PASSWORD, newPassword: 'a brand new password', confirmPassword: 'different' });
    expect(mismatch.status).toBe(422);
    expect(mismatch.text).toContain('do not match');

    const changed = await laptop.post('/account/password', { currentPassword: TEST_PASSWORD, newPassword: 'a brand new password', confirmPassword: 'a brand new password' });
    expect(changed.status).toBe(303);
    expect((await laptop.get('/engagements')).status).toBe(200);
    expect((await phone.get('/engagements')).status).toBe(303);
    expect((await context.browser().post('/login', { email: coach.email, password: 'a brand new password' })).status).toBe(303);
    expect((await context.browser().post('/login', { email: coach.email, password: TEST_PASSWORD })).status).toBe(422);
  });
});
