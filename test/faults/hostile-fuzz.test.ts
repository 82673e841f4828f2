import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Coach } from '../../server/auth/coach';
import { DATABASE_KINDS } from '../helpers/databases';
import { concretePath, seedEverything, type Everything } from '../helpers/everything';
import { TEST_ORIGIN, type TestBrowser } from '../helpers/http-client';
import { HOSTILE_TEXT } from '../helpers/hostile';
import { ITEM_IDS } from '../helpers/rounds';
import { deliverOutbox } from '../helpers/mail';
import { coachRoutes } from '../helpers/route-list';
import { createCoach, createTestContext, signedInBrowser, type TestContext } from '../helpers/test-app';

/**
 * Thousands of random and hostile requests (bodies, encodings, headers, paths) to the survey, the
 * client's links and every coach route, as a signed-in coach with real ids: the answer is never a
 * 5xx and never echoes markup, and afterwards every page still renders. Runs are reproducible:
 * FUZZ_SEED picks another seed, FUZZ_RUNS another number of requests.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 360_360);
const RUNS = Number(process.env.FUZZ_RUNS ?? 2500);
const RAW_MARKUP = ['<script>alert("x")</script>', '<img src=x onerror=alert(1)>'];

// Field names of every form, plus a few that only an attacker sends.
const FIELD_NAMES = [
  ...'clientName clientEmail organisation role startDate notes stage enteredOn name description points scalePoints scaleLabels naLabel action json file email password newPassword currentPassword confirmPassword questionnaireId purpose deadlineDay message k tau group list note ref goal dueOn status sinceDay closingNote intent reason nomination next archived'.split(' '),
  ...'c.0.id c.0.name c.0.description c.0.i.0.id c.0.i.0.text c.0.newItems c.999.name newCompetency.name newCompetency.items q.0.text q.0.id newQuestions'.split(' '),
  ...[0, 1, 2, 3, 4].flatMap((index) => [`g.${index}.label`, `g.${index}.minimum`, `g.${index}.anonymous`]),
  ...'r.c1i1 r.c1i2 r.c8i5 r.nothing c.q1 c.q2 c.zzz'.split(' '),
  '__proto__',
  'constructor',
  'toString',
  '_csrf',
  'x'.repeat(300),
];

const SPECIAL_VALUES = [
  ...HOSTILE_TEXT,
  '',
  '0',
  '-1',
  '1e309',
  'NaN',
  '3.5',
  'on',
  'na',
  'save',
  'submit',
  'up:c.0',
  'down:c.0.i.0',
  'remove:q.0',
  'remove:c.99.i.99',
  '2026-02-30',
  '9999-12-31',
  '0000-00-00',
  '2026-03-20',
  'competency:c1',
  'item:c1i1',
  'competency:nope',
  'peers',
  'manager',
  'self',
  'planned',
  'baseline',
  'pulse',
  'someone@example.com',
  'a@b',
  'x@example.com,Someone,peers\ny@example.com,Other,nobody\n,,',
  '{"format":"threesixty.questionnaire/v1","name":"N","scale":{"points":5,"labels":[],"naLabel":"x"},"competencies":[],"openQuestions":[]}',
  '{"__proto__":{"admin":true}}',
  '[]',
  'null',
  'a\r\nb\rc',
  '\u0000',
  '\uFEFF\u200B\u202E',
  '%00%FF%',
  'x'.repeat(5001),
  'y'.repeat(70_000),
];

const value = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...SPECIAL_VALUES) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.integer().map(String) },
);
const fieldName = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...FIELD_NAMES) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) });
const randomFields = fc.array(fc.tuple(fieldName, fc.oneof({ weight: 5, arbitrary: value.map((one) => [one]) }, { weight: 1, arbitrary: fc.array(value, { minLength: 2, maxLength: 3 }) })), { maxLength: 8 });
// A complete survey answer with hostile comments and a few answers spoiled, to reach the storing path.
const surveyFields = fc
  .tuple(fc.constantFrom('submit', 'save', 'nonsense'), fc.array(value, { minLength: 2, maxLength: 2 }), fc.array(fc.tuple(fc.constantFrom(...ITEM_IDS), value), { maxLength: 2 }))
  .map(([intent, comments, spoiled]): Array<[string, string[]]> => [
    ['intent', [intent]],
    ['notice', ['read']],
    ...ITEM_IDS.map((id, index): [string, string[]] => [`r.${id}`, [String((index % 5) + 1)]]),
    ['c.q1', [comments[0]!]],
    ['c.q2', [comments[1]!]],
    ...spoiled.map(([id, spoilt]): [string, string[]] => [`r.${id}`, [spoilt]]),
  ]);
const fields = fc.oneof({ weight: 4, arbitrary: randomFields }, { weight: 1, arbitrary: surveyFields });
const encoding = fc.constantFrom('urlencoded', 'urlencoded', 'urlencoded', 'multipart', 'multipart', 'raw', 'json', 'text', 'none');
const rawBody = fc.string({ unit: fc.constantFrom('%', '&', '=', '+', 'a', 'Z', '0', 'F', 'É', '\u0000', '"', ';', '[', ']', '.', '_csrf', 'r.c1i1', '%E0%A4', '%FF', '%25'), maxLength: 40 });
const pathMutation = fc.oneof(
  { weight: 6, arbitrary: fc.constant((path: string) => path) },
  { weight: 1, arbitrary: value.map((junk) => (path: string) => path.replace(/\/([^/]+)$/, `/${encodeURIComponent(junk).slice(0, 150)}`)) },
  { weight: 1, arbitrary: value.map((junk) => (path: string) => `${path}?${new URLSearchParams({ next: junk, stage: junk, archived: junk, since: junk })}`) },
  { weight: 1, arbitrary: fc.constantFrom('/', '/..', '/%2e%2e', '//', '/%00', '/%ZZ', '/x/y/z', '.json', '%20', ';jsessionid=1').map((suffix) => (path: string) => `${path}${suffix}`) },
  { weight: 1, arbitrary: fc.string({ maxLength: 60 }).map((junk) => (path: string) => path.replace(/[A-Za-z0-9_-]{20,}/, encodeURIComponent(junk) || 'x')) },
);
const headerNoise = fc.record(
  {
    accept: fc.constantFrom('application/json', 'text/html', '*/*', 'x/y;q=nope'),
    origin: fc.constantFrom('https://evil.example', 'null', ''),
    flash: fc.oneof(value, value.map((text) => Buffer.from(JSON.stringify({ kind: 'error', text })).toString('base64url'))),
    forwarded: value,
    csrf: fc.constantFrom('missing', 'wrong'),
  },
  { requiredKeys: [] },
);

interface Target {
  method: 'GET' | 'POST';
  path: string;
}

describe.each(DATABASE_KINDS)('random and hostile requests everywhere (%s)', (kind) => {
  let context: TestContext;
  let owner: Coach;
  let fixture: Everything;
  let browser: TestBrowser;
  let targets: Target[];

  beforeAll(async () => {
    context = await createTestContext(kind);
    owner = await createCoach(context, { isAdmin: true });
    fixture = await seedEverything(context, owner, () => deliverOutbox(context));
    browser = await signedInBrowser(context, owner);
    const roundIds = Object.values(fixture.rounds);
    // Every coach route with real ids (each round route for each kind of round), and the public
    // links. Signing out, sign-in and password changes are left out: they would only end the
    // session or spend the run on password hashing (test/security/bad-input.test.ts probes them).
    const coach = coachRoutes(context.app)
      .filter((route) => route.path !== '/account/password')
      .flatMap((route) => (route.path.startsWith('/rounds/:id') ? roundIds : [undefined]).map((round) => ({ method: route.method as Target['method'], path: concretePath(route.path, { ...fixture.ids, ...(round ? { rounds: round } : {}) }) })));
    const links = [...fixture.links.surveys, fixture.links.pulseSurvey, fixture.links.answeredSurvey];
    targets = [
      ...coach,
      ...links.flatMap((link) => [
        { method: 'GET' as const, path: link },
        { method: 'POST' as const, path: link },
        { method: 'POST' as const, path: link },
        { method: 'POST' as const, path: `${link}/draft` },
        { method: 'GET' as const, path: `${link}/decline` },
        { method: 'POST' as const, path: `${link}/decline` },
      ]),
      { method: 'GET', path: fixture.links.nomination },
      { method: 'POST', path: fixture.links.nomination },
      { method: 'GET', path: fixture.links.clientReport },
      { method: 'GET', path: fixture.links.join },
      { method: 'POST', path: fixture.links.join },
      { method: 'GET', path: '/login' },
      { method: 'GET', path: '/setup/x' },
      { method: 'POST', path: '/setup/x' },
    ];
  }, 60_000);
  afterAll(() => context.close());

  async function send(target: Target, body: Array<[string, string[]]>, how: string, raw: string, noise: Partial<Record<'accept' | 'origin' | 'flash' | 'forwarded' | 'csrf', string>>) {
    const token = await browser.csrfToken();
    const csrf = 'csrf' in noise ? (noise.csrf === 'wrong' ? 'A'.repeat(43) : null) : token;
    const headers: Record<string, string> = { origin: 'origin' in noise ? String(noise.origin) : TEST_ORIGIN };
    if ('accept' in noise) headers.accept = String(noise.accept);
    if ('forwarded' in noise) headers['x-forwarded-for'] = String(noise.forwarded).replace(/[^\t\x20-\x7e]/g, '');
    const cookie = [...browser.cookies].map(([name, cookieValue]) => `${name}=${cookieValue}`);
    if ('flash' in noise) cookie.push(`flash=${encodeURIComponent(String(noise.flash))}`);
    headers.cookie = cookie.join('; ');
    if (target.method === 'GET') return context.app.request(target.path, { headers });
    const all = csrf === null ? body : [['_csrf', [csrf]] as [string, string[]], ...body];
    let payload: BodyInit | undefined;
    if (how === 'urlencoded') {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      payload = new URLSearchParams(all.flatMap(([name, values]) => values.map((one) => [name, one]))).toString();
    } else if (how === 'multipart') {
      const form = new FormData();
      for (const [name, values] of all) for (const one of values) form.append(name, name === 'file' ? new File([one], 'raters.csv', { type: 'text/csv' }) : one);
      payload = form;
    } else if (how === 'json') {
      headers['content-type'] = 'application/json';
      if (csrf) headers['x-csrf-token'] = csrf;
      payload = JSON.stringify(Object.fromEntries(body.map(([name, values]) => [name, values.length === 1 ? values[0] : values])));
    } else {
      if (how !== 'none') headers['content-type'] = how === 'text' ? 'text/plain' : 'application/x-www-form-urlencoded';
      payload = `${csrf ? `_csrf=${csrf}&` : ''}${raw}`;
    }
    return context.app.request(target.path, { method: 'POST', headers, body: payload });
  }

  it(`never answers 5xx nor echoes markup (${RUNS} requests)`, async () => {
    let statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...targets),
        pathMutation,
        fields,
        encoding,
        rawBody,
        fc.oneof({ weight: 6, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: headerNoise }),
        async (target, mutate, body, how, raw, noise) => {
          const mutated = { ...target, path: mutate(target.path) };
          const response = await send(mutated, body, how, raw, noise);
          const text = await response.text();
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          // Guessed links trip the per-address limit; let its window pass so the survey keeps being reached.
          if (response.status === 429) context.clock.advanceMinutes(11);
          if (response.status >= 500) throw new Error(`${mutated.method} ${mutated.path} (${how}) answered ${response.status}: ${context.logger.errors.at(-1) ?? text.slice(0, 300)}`);
          if ((response.headers.get('content-type') ?? '').startsWith('text/html')) {
            for (const markup of RAW_MARKUP) if (text.includes(markup)) throw new Error(`${mutated.method} ${mutated.path} echoed ${markup}`);
          }
        },
      ),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    expect(context.logger.errors).toEqual([]);
    // The run reached the handlers, not only the guards in front of them.
    const reached = [...statuses].filter(([status]) => status !== 403 && status !== 404).reduce((sum, [, count]) => sum + count, 0);
    expect(reached).toBeGreaterThan(RUNS / 3);
    statuses = new Map();
  }, 120_000);

  it('still renders every page afterwards', async () => {
    context.clock.advanceMinutes(11); // past the link-guessing limit the run may have reached
    const pages = [
      ...targets.filter((target) => target.method === 'GET').map((target) => target.path),
      '/engagements?archived=1',
      '/questionnaires?archived=1',
      '/coaches',
      '/account',
    ];
    for (const path of pages) {
      const response = await browser.get(path);
      expect(response.status, `${path}: ${response.text.slice(0, 300)}`).toBeLessThan(500);
    }
    const main = [`/engagements/${fixture.ids.engagements}`, `/questionnaires/${fixture.ids.questionnaires}`, ...Object.values(fixture.rounds).map((id) => `/rounds/${id}`), '/engagements', '/questionnaires'];
    for (const path of main) expect((await browser.get(path)).status, path).toBe(200);
    const anonymous = context.browser();
    for (const path of [...fixture.links.surveys, fixture.links.pulseSurvey, fixture.links.answeredSurvey]) expect((await anonymous.get(path)).status, path).toBe(200);
    // The run may have revoked the release: then the client's link answers 404, like any unknown link.
    expect([200, 404]).toContain((await anonymous.get(fixture.links.clientReport)).status);
    expect(context.logger.errors).toEqual([]);
  }, 60_000);
});
