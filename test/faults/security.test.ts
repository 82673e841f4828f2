import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Coach } from '../../server/auth/coach';
import { hashToken, newSecretToken } from '../../server/secrets';
import { remindNow } from '../../server/rounds/invitations.service';
import { mailContext } from '../../server/http/mail-context';
import { deliverDueMessages } from '../../server/mail/outbox.worker';
import { DATABASE_KINDS, ownTables } from '../helpers/databases';
import { concretePath, seedEverything, type Everything } from '../helpers/everything';
import { TEST_ORIGIN, type Page, type TestBrowser } from '../helpers/http-client';
import { PUBLIC_ROUTES, coachRoutes } from '../helpers/route-list';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp';
import { TEST_PASSWORD, createCoach, createTestContext, signedInBrowser, type TestContext } from '../helpers/test-app';

/**
 * Security checks generated from the router, so a route added later is checked too: secure
 * headers and cookie flags on every answer, CSRF refusals on every state-changing route, the
 * strength and storage of every emailed token, link rate limits per address, and sessions that
 * cannot be planted. (That coach routes refuse other coaches and anonymous callers is covered by
 * test/security/ownership.test.ts; the basic CSRF and header cases by test/security/csrf.test.ts.)
 */
const HTTPS_ORIGIN = 'https://coach.example.com';
const EVIL_ORIGIN = 'https://evil.example';
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** Every route of the app the router knows (GET and POST), outside the JSON API. */
function allRoutes(context: TestContext): Array<{ method: string; path: string }> {
  const publicRoutes = PUBLIC_ROUTES.filter((route) => route !== 'GET /static/*').map((route) => {
    const [method, path] = route.split(' ') as [string, string];
    return { method, path };
  });
  return [...publicRoutes, ...coachRoutes(context.app)];
}

/** A route's path with real ids, and real tokens for the public links. */
function concrete(route: string, fixture: Everything): string {
  const links: Record<string, string> = {
    '/s/:token': fixture.links.survey,
    '/s/:token/draft': `${fixture.links.survey}/draft`,
    '/s/:token/decline': `${fixture.links.survey}/decline`,
    '/n/:token': fixture.links.nomination,
    '/r/:token': fixture.links.clientReport,
    '/join/:token': fixture.links.join,
    '/setup/:token': `/setup/${newSecretToken().token}`,
  };
  return links[route] ?? concretePath(route, fixture.ids);
}

async function dumpDatabase(context: TestContext): Promise<string> {
  return JSON.stringify(await dumpTables(context));
}

/** Every row of every table (as the database lists them), each cell as text, to search for secrets. */
async function dumpTables(context: TestContext): Promise<Array<{ where: string; text: string }>> {
  const cells: Array<{ where: string; text: string }> = [];
  const db = context.db as unknown as Kysely<Record<string, Record<string, unknown>>>;
  const tables = await ownTables(context.database);
  expect(tables).toContain('invitation_tokens');
  for (const table of tables) {
    for (const row of await db.selectFrom(table).selectAll().execute()) {
      for (const [column, value] of Object.entries(row)) cells.push({ where: `${table}.${column}`, text: String(value) });
    }
  }
  return cells;
}

function checkSecureHeaders(response: Page, where: string, https: boolean): void {
  const csp = response.headers.get('content-security-policy') ?? '';
  for (const directive of ["default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'"]) {
    expect(csp, `${where}: CSP ${directive}`).toContain(directive);
  }
  expect(csp, where).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  expect(response.headers.get('x-content-type-options'), where).toBe('nosniff');
  expect(response.headers.get('x-frame-options'), where).toBe('SAMEORIGIN');
  expect(response.headers.get('referrer-policy'), where).toBe('same-origin');
  const hsts = response.headers.get('strict-transport-security');
  if (https) expect(hsts, where).toMatch(/^max-age=\d{7,}; includeSubDomains$/);
  else expect(hsts, where).toBeNull();
}

function checkCookies(response: Page, where: string, https: boolean): number {
  const lines = response.headers.getSetCookie();
  for (const line of lines) {
    const attributes = line.split(';').slice(1).map((attribute) => attribute.trim().toLowerCase());
    expect(attributes, `${where}: ${line}`).toContain('httponly');
    expect(attributes, `${where}: ${line}`).toContain('samesite=lax');
    expect(attributes, `${where}: ${line}`).toContain('path=/');
    if (https) expect(attributes, `${where}: ${line}`).toContain('secure');
    else expect(attributes, `${where}: ${line}`).not.toContain('secure');
  }
  return lines.length;
}

describe.each(DATABASE_KINDS)('security checks generated from the routes (%s)', (kind) => {
  let smtp: TestSmtpServer;
  let context: TestContext;
  let owner: Coach;
  let fixture: Everything;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    context = await createTestContext(kind, { mailer: (config) => smtp.mailer(config.mailFrom) });
    owner = await createCoach(context, { isAdmin: true, name: 'Owner Coach' });
    fixture = await seedEverything(context, owner, () => deliverDueMessages(context.deps));
  }, 60_000);
  afterAll(async () => {
    await context?.close();
    await smtp?.stop();
  });

  it('refuses every state-changing route without the token, with a wrong one, and from another site, changing nothing', async () => {
    const browser = await signedInBrowser(context, owner);
    const token = await browser.csrfToken();
    const posts = allRoutes(context).filter((route) => route.method === 'POST');
    expect(posts.length).toBeGreaterThan(40);
    const before = await dumpDatabase(context);
    const refusals: Array<[string, Promise<Page>]> = [];
    for (const route of posts) {
      const path = concrete(route.path, fixture);
      const fields = { name: 'x', email: 'x@example.com', note: 'x', list: 'a@example.com,A,peers', 'r.c1i1': '3', intent: 'submit' };
      refusals.push([`${path} without token`, browser.post(path, fields, { csrf: false })]);
      refusals.push([`${path} wrong token`, browser.post(path, fields, { csrf: newSecretToken().token })]);
      refusals.push([`${path} from another origin`, browser.post(path, fields, { origin: EVIL_ORIGIN })]);
      refusals.push([`${path} without origin`, browser.post(path, fields, { origin: null })]);
      for (const contentType of ['application/json', 'text/plain']) {
        refusals.push([
          `${path} as ${contentType}`,
          browser.request(path, { method: 'POST', headers: { 'content-type': contentType, origin: TEST_ORIGIN }, body: contentType === 'application/json' ? JSON.stringify({ _csrf: token, ...fields }) : `_csrf=${token}` }),
        ]);
      }
      refusals.push([`${path} as multipart from another origin`, browser.request(path, { method: 'POST', headers: { origin: EVIL_ORIGIN }, body: formData({ _csrf: token, ...fields }) })]);
    }
    for (const [what, pending] of refusals) {
      const response = await pending;
      expect(response.status, what).toBe(403);
      expect(response.text, what).toContain('did not come from this site');
    }
    expect(await dumpDatabase(context)).toBe(before);
  });

  it('emails only unguessable tokens and stores them nowhere but as SHA-256 hashes, even for failed messages', async () => {
    // A permanent refusal on top: failed messages must not keep their link either.
    smtp.mode = 'permanent';
    await remindNow(context.db, mailContext(context.deps), owner.id, fixture.rounds.evaluation);
    const failing = await context.db.selectFrom('outbox').select('action_url').where('status', '=', 'pending').where('action_url', 'is not', null).execute();
    expect(failing.length).toBeGreaterThan(0);
    expect((await deliverDueMessages(context.deps)).failed).toBe(failing.length);
    smtp.mode = 'accept';

    const fromMail = smtp.messages.flatMap((mail) => [...`${mail.text ?? ''} ${mail.html || ''}`.matchAll(/https?:\/\/[^\s"'<>]+/g)].map((match) => match[0]));
    const urls = [...new Set([...fromMail, ...fixture.emailedLinks, ...failing.map((row) => row.action_url!)])].filter((url) => new URL(url).pathname.split('/').length > 2);
    const tokens = urls.map((url) => {
      const [, section, token, rest] = /^\/(s|p|n|r|join|setup)\/([^/]+)(.*)$/.exec(new URL(url).pathname) ?? [];
      expect(section, url).toBeDefined();
      expect(rest, url).toBe('');
      expect(token, url).toMatch(TOKEN_PATTERN);
      expect(Buffer.from(token!, 'base64url')).toHaveLength(32); // 256 random bits
      return token!;
    });
    expect(new Set(tokens).size).toBe(tokens.length);
    expect(tokens.length).toBeGreaterThan(20);
    // The session id of a signed-in coach, too.
    const sessionId = (await signedInBrowser(context, owner)).cookies.get('sid')!;
    expect(sessionId).toMatch(TOKEN_PATTERN);

    const cells = await dumpTables(context);
    for (const token of [...tokens, sessionId]) {
      expect(cells.filter((cell) => cell.text.includes(token)).map((cell) => cell.where), `raw token ${token} stored`).toEqual([]);
      expect(cells.some((cell) => cell.text === hashToken(token)), `hash of ${token} not stored`).toBe(true);
      expect(hashToken(token)).toBe(createHash('sha256').update(token).digest('hex'));
    }
  });

  it('limits guessing of survey and report links per address, without locking out others (and keeps links only in the outbox without SMTP)', async () => {
    const proxied = await createTestContext(kind, { env: { TRUST_PROXY: 'true' } });
    try {
      const coach = await createCoach(proxied, { isAdmin: true });
      const seeded = await seedEverything(proxied, coach, () => deliverDueMessages(proxied.deps));
      const links = seeded.links;
      // This context has no SMTP: by design the outbox keeps each sent message, link included, so
      // the coach can pass it on. That is the only place a raw token may be.
      const cells = await dumpTables(proxied);
      for (const url of seeded.emailedLinks) {
        const token = new URL(url).pathname.split('/')[2]!;
        const places = new Set(cells.filter((cell) => cell.text.includes(token)).map((cell) => cell.where));
        expect([...places].filter((place) => place !== 'outbox.message' && place !== 'outbox.action_url'), url).toEqual([]);
      }
      for (const [section, valid] of [['s', links.survey], ['r', links.clientReport]] as const) {
        const guesser = proxied.browser();
        const from = (ip: string) => ({ 'x-forwarded-for': ip });
        for (let miss = 0; miss < 30; miss += 1) expect((await guesser.get(`/${section}/${newSecretToken().token}`, from('203.0.113.7'))).status).toBe(404);
        const limited = await guesser.get(`/${section}/${newSecretToken().token}`, from('203.0.113.7'));
        expect(limited.status, section).toBe(429);
        expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
        expect((await guesser.get(valid, from('203.0.113.7'))).status, `${section}: valid link from the guessing address`).toBe(429);
        expect((await proxied.browser().get(valid, from('198.51.100.2'))).status, `${section}: another address`).toBe(200);
        proxied.clock.advanceMinutes(11);
        expect((await guesser.get(valid, from('203.0.113.7'))).status, `${section}: after the window`).toBe(200);
      }
    } finally {
      await proxied.close();
    }
  });

  it('never accepts a planted, guessed or replaced session id', async () => {
    const victim = await createCoach(context, { name: 'Victim Coach' });
    const attacker = await createCoach(context, { name: 'Attacker Coach' });
    // An id the server never issued, or the stored hash of a real one, opens nothing.
    const known = await signedInBrowser(context, attacker);
    const storedHash = hashToken(known.cookies.get('sid')!);
    for (const planted of [newSecretToken().token, storedHash, storedHash.slice(0, 43)]) {
      const browser = context.browser();
      browser.cookies.set('sid', planted);
      const response = await browser.get('/engagements');
      expect(response.status).toBe(303);
      expect(response.headers.getSetCookie().some((line) => /^sid=;/.test(line))).toBe(true);
    }
    // Fixation: the attacker plants their own valid session in the victim's browser; signing in
    // gives the victim a new id, and the planted one stops working altogether.
    const attackerSid = known.cookies.get('sid')!;
    const browser = context.browser();
    browser.cookies.set('sid', attackerSid);
    const login = await browser.post('/login', { email: victim.email, password: TEST_PASSWORD });
    expect(login.status).toBe(303);
    const victimSid = browser.cookies.get('sid')!;
    expect(victimSid).not.toBe(attackerSid);
    expect(victimSid).toMatch(TOKEN_PATTERN);
    expect((await known.get('/engagements')).status).toBe(303);
    // Signing in again in the same browser replaces the session; the old id is dead.
    const again = await browser.post('/login', { email: victim.email, password: TEST_PASSWORD });
    expect(again.status).toBe(303);
    const replay = context.browser();
    replay.cookies.set('sid', victimSid);
    expect((await replay.get('/engagements')).status).toBe(303);
    expect((await browser.get('/engagements')).status).toBe(200);
  });

  for (const scheme of ['http', 'https'] as const) {
    it(`sends secure headers and hardened cookies on every answer (${scheme})`, async () => {
      const https = scheme === 'https';
      const site = https ? await createTestContext(kind, { env: { PUBLIC_URL: HTTPS_ORIGIN } }) : context;
      try {
        const base = https ? HTTPS_ORIGIN : '';
        const origin = https ? HTTPS_ORIGIN : TEST_ORIGIN;
        const coach = https ? await createCoach(site, { isAdmin: true }) : owner;
        const seeded = https ? await seedEverything(site, coach, () => deliverDueMessages(site.deps)) : fixture;
        let cookies = 0;
        let answers = 0;
        const check = (response: Page, where: string) => {
          checkSecureHeaders(response, where, https);
          cookies += checkCookies(response, where, https);
          answers += 1;
        };
        const post = (browser: TestBrowser, path: string, fields: Record<string, string> = {}) => browser.post(`${base}${path}`, fields, { origin });

        const anonymous = site.browser();
        for (const route of allRoutes(site)) {
          const path = concrete(route.path, seeded);
          check(route.method === 'GET' ? await anonymous.get(`${base}${path}`) : await post(anonymous, path), `anonymous ${route.method} ${path}`);
        }
        for (const path of ['/static/app.css', '/static/vendor/chart.umd.min.js', '/does-not-exist', '/s/%00', `/engagements/${'x'.repeat(300)}`]) check(await anonymous.get(`${base}${path}`), path);
        const planted = site.browser();
        planted.cookies.set('sid', newSecretToken().token);
        planted.cookies.set('flash', 'not-base64-json');
        check(await planted.get(`${base}/engagements`), 'planted session');

        const browser = site.browser();
        check(await browser.get(`${base}/login`), 'GET /login');
        check(await post(browser, '/login', { email: coach.email, password: TEST_PASSWORD }), 'POST /login');
        for (const route of coachRoutes(site.app).filter((candidate) => candidate.method === 'GET')) {
          const path = concretePath(route.path, seeded.ids);
          check(await browser.get(`${base}${path}`), `GET ${path}`);
        }
        // Every form posted empty (refused, redirected with a message, or done), then the page it leads to.
        for (const route of coachRoutes(site.app).filter((candidate) => candidate.method === 'POST')) {
          const path = concretePath(route.path, seeded.ids);
          const response = await post(browser, path);
          check(response, `POST ${path}`);
          expect(response.status, `POST ${path}`).toBeLessThan(500);
          if (response.location?.startsWith('/')) check(await browser.get(`${base}${response.location}`), `after POST ${path}`);
        }
        check(await post(browser, '/logout'), 'POST /logout');
        expect(answers).toBeGreaterThan(150);
        expect(cookies).toBeGreaterThan(20);
        expect(site.logger.errors).toEqual([]);
      } finally {
        if (https) await site.close();
      }
    }, 60_000);
  }
});

function formData(fields: Record<string, string>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  return form;
}
