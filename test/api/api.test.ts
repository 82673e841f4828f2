import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Coach } from '../../server/auth/coach';
import { createApiToken } from '../../server/api/api-tokens.service';
import { hashToken } from '../../server/secrets';
import { DATABASE_KINDS } from '../helpers/databases';
import { deliverOutbox, linkIn, readEmlOutbox, recipientsOf } from '../helpers/mail';
import { answerSurvey } from '../helpers/rounds';
import { ENDPOINTS } from './endpoints';
import { TEST_PASSWORD, createCoach, createTestContext, signedInBrowser, type TestContext } from '../helpers/test-app';

interface ApiAnswer {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON of many shapes
  text: string;
}

function client(context: TestContext, token: string | null) {
  return async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiAnswer> => {
    const response = await context.app.request(`/api/v1${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
    return { status: response.status, headers: response.headers, body: parsed, text };
  };
}

const RATERS = [
  { email: 'mia@example.com', name: 'Mia', group: 'manager' },
  { email: 'pat@example.com', name: 'Pat', group: 'peers' },
  { email: 'pia@example.com', name: 'Pia', group: 'peers' },
  { email: 'pol@example.com', name: 'Pol', group: 'peers' },
];

describe.each(DATABASE_KINDS)('the JSON API (%s)', (kind) => {
  let context: TestContext;
  let coach: Coach;
  let api: ReturnType<typeof client>;
  let otherApi: ReturnType<typeof client>;
  let engagementId: string;
  let roundId: string;
  let questionnaireId: string;
  let others: { engagementId: string; roundId: string; questionnaireId: string };

  beforeAll(async () => {
    context = await createTestContext(kind);
    coach = await createCoach(context, { name: 'Api Coach' });
    api = client(context, (await createApiToken(context.db, context.clock, coach.id, 'CRM')).token);
    const other = await createCoach(context, { name: 'Other Coach' });
    otherApi = client(context, (await createApiToken(context.db, context.clock, other.id, 'Other')).token);
    // The other coach's objects, for the 404 checks.
    const engagement = await otherApi('POST', '/engagements', { clientName: 'Other Client', clientEmail: 'other.client@example.com' });
    const round = await otherApi('POST', '/rounds', { engagementId: engagement.body.id, questionnaireId: 'leadership-360', deadline: '2026-04-01', raters: [] });
    const questionnaire = await otherApi('GET', '/questionnaires/leadership-360');
    const copy = await otherApi('POST', '/questionnaires', { ...questionnaire.body.document, name: 'Other copy' });
    others = { engagementId: engagement.body.id, roundId: round.body.id, questionnaireId: copy.body.id };
  });
  afterAll(() => context.close());

  it('refuses requests without a valid token, in JSON', async () => {
    for (const token of [null, 'not-a-token', 'x'.repeat(43)]) {
      const answer = await client(context, token)('GET', '/engagements');
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(answer.body.error.code).toBe('unauthorized');
    }
    // Cookies do not authenticate the API.
    const browser = await signedInBrowser(context, coach);
    const withCookie = await browser.get('/api/v1/engagements');
    expect(withCookie.status).toBe(401);
  });

  it('creates, lists, reads and changes engagements', async () => {
    const invalid = await api('POST', '/engagements', { clientName: '', clientEmail: 'nope', stage: 'unknown' });
    expect(invalid.status).toBe(422);
    expect(invalid.body.error.code).toBe('invalid');
    expect(Object.keys(invalid.body.error.details).sort()).toEqual(['clientEmail', 'clientName', 'stage']);
    expect((await api('POST', '/engagements', '{"clientName": ')).status).toBe(400);

    const created = await api('POST', '/engagements', { clientName: 'Robin Vale', clientEmail: 'Robin.Vale@example.com', organisation: 'Initech', role: 'CTO', stage: 'assessment' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ clientName: 'Robin Vale', clientEmail: 'robin.vale@example.com', stage: 'assessment', stages: [{ stage: 'assessment', enteredOn: '2026-03-02' }] });
    engagementId = created.body.id;

    const list = await api('GET', '/engagements?q=initech');
    expect(list.status).toBe(200);
    expect(list.body.items.map((engagement: { id: string }) => engagement.id)).toEqual([engagementId]);
    expect(list.body.next).toBeNull();
    expect((await api('GET', '/engagements?stage=nonsense')).status).toBe(422);

    const read = await api('GET', `/engagements/${engagementId}`);
    expect(read.body.organisation).toBe('Initech');
    const patched = await api('PATCH', `/engagements/${engagementId}`, { role: 'Chief Technology Officer', stage: 'goal-setting' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ role: 'Chief Technology Officer', organisation: 'Initech', stage: 'goal-setting' });
    expect(patched.body.stages.map((entry: { stage: string }) => entry.stage)).toEqual(['assessment', 'goal-setting']);
    await api('PATCH', `/engagements/${engagementId}`, { stage: 'assessment' });
    expect((await api('PATCH', `/engagements/${engagementId}`, { clientEmail: 'not an email' })).status).toBe(422);

    expect((await api('GET', `/engagements/${others.engagementId}`)).status).toBe(404);
    expect((await api('PATCH', `/engagements/${others.engagementId}`, { role: 'x' })).status).toBe(404);
    expect((await api('GET', '/engagements')).body.items.some((engagement: { id: string }) => engagement.id === others.engagementId)).toBe(false);
  });

  it('lists questionnaires with the built-in one, reads and creates them in the import/export format', async () => {
    const list = await api('GET', '/questionnaires');
    expect(list.status).toBe(200);
    expect(list.body.items).toContainEqual({ id: 'leadership-360', name: 'Leadership 360', builtin: true, competencies: 8, items: 40, scalePoints: 5, language: 'en', languages: ['en', 'fr', 'de', 'es', 'nl'] });
    const builtin = await api('GET', '/questionnaires/leadership-360');
    expect(builtin.body.document.format).toBe('threesixty.questionnaire/v1');

    const invalid = await api('POST', '/questionnaires', { ...builtin.body.document, name: '', scale: { points: 9, labels: [], naLabel: 'N/A' } });
    expect(invalid.status).toBe(422);
    expect(invalid.body.error.details).toHaveProperty('name');
    expect(invalid.body.error.details).toHaveProperty(['scale.points']);
    const created = await api('POST', '/questionnaires', { ...builtin.body.document, name: 'Leadership 360 for Initech' });
    expect(created.status).toBe(201);
    questionnaireId = created.body.id;
    expect(created.body.document.competencies).toEqual(builtin.body.document.competencies);
    expect((await api('GET', `/questionnaires/${questionnaireId}`)).body.document.name).toBe('Leadership 360 for Initech');
    expect((await api('GET', `/questionnaires/${others.questionnaireId}`)).status).toBe(404);
  });

  it('creates a round with raters, adds raters, launches, reminds and closes it', async () => {
    const badRaters = await api('POST', '/rounds', {
      engagementId,
      questionnaireId,
      deadline: '2026-04-01',
      raters: [RATERS[0], { email: 'broken', group: 'peers' }, { email: 'robin.vale@example.com', group: 'peers' }, RATERS[0]],
    });
    expect(badRaters.status).toBe(422);
    expect(badRaters.body.error.details).toEqual({
      'raters.1': expect.stringContaining('"broken"'),
      'raters.2': expect.stringContaining("the client's own address"),
      'raters.3': expect.stringContaining('already on line 1'),
    });
    const weak = await api('POST', '/rounds', { engagementId, questionnaireId, deadline: '2026-04-01', k: 3, groups: { peers: { minimum: 2 } } });
    expect(weak.status).toBe(422);
    expect(weak.body.error.details['groups.peers.minimum']).toContain('at least k');
    expect((await api('POST', '/rounds', { engagementId, questionnaireId, deadline: 'tomorrow' })).body.error.details).toHaveProperty('deadline');
    expect((await api('POST', '/rounds', { engagementId, questionnaireId, deadline: '2026-03-01' })).body.error.details).toEqual({ deadline: 'The deadline must be today or later.' });
    expect((await api('POST', '/rounds', { engagementId: others.engagementId, questionnaireId, deadline: '2026-04-01' })).status).toBe(404);
    expect(await context.db.selectFrom('rounds').select('id').where('engagement_id', '=', engagementId).execute()).toEqual([]);

    const created = await api('POST', '/rounds', { engagementId, questionnaireId, deadline: '2026-04-01', message: 'Thank you!', groups: { reports: { label: 'Team' } }, raters: RATERS.slice(0, 3) });
    expect(created.status).toBe(201);
    roundId = created.body.id;
    expect(created.body).toMatchObject({ status: 'draft', purpose: 'baseline', deadline: '2026-04-01T23:59:59.999Z', k: 3, tau: null });
    expect(created.body.actions).toEqual(['edit', 'launch', 'addRaters', 'changeDeadline', 'askForNominations']);
    expect(created.body.groups.map((group: { key: string; label: string; invited: number }) => [group.key, group.label])).toEqual([
      ['self', 'Self'],
      ['manager', 'Manager'],
      ['peers', 'Peers'],
      ['reports', 'Team'],
      ['others', 'Others'],
    ]);

    expect((await api('POST', `/rounds/${roundId}/raters`, { raters: [RATERS[1]] })).status).toBe(422);
    expect((await api('POST', `/rounds/${roundId}/raters`, { raters: [] })).status).toBe(422);
    expect((await api('POST', `/rounds/${roundId}/raters`, { raters: [RATERS[3]] })).status).toBe(200);
    expect((await api('POST', `/rounds/${others.roundId}/raters`, { raters: [RATERS[3]] })).status).toBe(404);

    const launched = await api('POST', `/rounds/${roundId}/launch`);
    expect(launched.status).toBe(200);
    expect(launched.body.status).toBe('open');
    expect(launched.body.groups.find((group: { key: string }) => group.key === 'peers')).toMatchObject({ invited: 3, completed: 0 });
    expect((await api('POST', `/rounds/${roundId}/launch`)).status).toBe(409);
    expect((await api('POST', `/rounds/${others.roundId}/launch`)).status).toBe(404);
    // The invitations go before the reminder: queued while they still waited, it would join them in one email (server/portal).
    await deliverOutbox(context);
    expect((await api('POST', `/rounds/${roundId}/remind`)).status).toBe(200);
    expect((await api('POST', `/rounds/${others.roundId}/remind`)).status).toBe(404);
    expect((await api('GET', `/rounds/${others.roundId}`)).status).toBe(404);
  });

  it('answers 409 with the missing counts until the report is ready, then serves the model and the CSV', async () => {
    const early = await api('GET', `/rounds/${roundId}/report`);
    expect(early.status).toBe(409);
    expect(early.body.error.details).toMatchObject({ k: 3, nonSelfResponses: 0, moreResponsesNeeded: 3, perGroup: { peers: 3 } });
    expect((await api('GET', `/rounds/${roundId}/report.csv`)).status).toBe(409);

    await deliverOutbox(context);
    for (const mail of (await readEmlOutbox(context)).filter((message) => (message.text ?? '').includes('/s/') && !recipientsOf(message)[0]!.startsWith('robin'))) {
      await answerSurvey(context.browser(), linkIn(mail, '/s/'), () => 4);
    }
    const round = await api('GET', `/rounds/${roundId}`);
    expect(round.body.groups.find((group: { key: string }) => group.key === 'peers')).toMatchObject({ invited: 3, completed: 3 });
    const closed = await api('POST', `/rounds/${roundId}/close`);
    expect(closed.body.status).toBe('closed');
    expect(closed.body.actions).toEqual(['reopen', 'rerun', 'release']);

    const report = await api('GET', `/rounds/${roundId}/report`);
    expect(report.status).toBe(200);
    expect(report.body.round).toEqual({ id: roundId, status: 'closed', version: 1, lateAnswersHeld: 0 });
    expect(report.body.readiness.ready).toBe(true);
    expect(report.body.shownGroupKeys).toEqual(['manager', 'peers']);
    expect(report.body.competencies[0].items[0].allOthers).toMatchObject({ withheld: false, n: 4, mean: 4 });
    expect(report.text).not.toContain('example.com');
    const csv = await api('GET', `/rounds/${roundId}/report.csv`);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.text.split('\r\n')[0]).toContain('level,competency,item,group,n,n_na,mean');
    expect((await api('GET', `/rounds/${others.roundId}/report`)).status).toBe(404);
    expect((await api('GET', `/rounds/${others.roundId}/report.csv`)).status).toBe(404);
  });

  it('re-runs for evaluation and serves the change report', async () => {
    expect((await api('GET', `/rounds/${roundId}/change`)).status).toBe(409);
    const rerun = await api('POST', `/rounds/${roundId}/rerun`);
    expect(rerun.status).toBe(201);
    expect(rerun.body).toMatchObject({ purpose: 'evaluation', status: 'draft', baselineRoundId: roundId });
    expect(rerun.body.groups.find((group: { key: string }) => group.key === 'reports').label).toBe('Team');
    const evaluationId = rerun.body.id;
    expect((await api('POST', `/rounds/${evaluationId}/rerun`)).status).toBe(409);
    expect((await api('POST', `/rounds/${others.roundId}/rerun`)).status).toBe(404);
    await api('POST', `/rounds/${evaluationId}/launch`);
    const notYet = await api('GET', `/rounds/${evaluationId}/change`);
    expect(notYet.status).toBe(409);
    expect(notYet.body.error.details.moreResponsesNeeded).toBe(3);
    await deliverOutbox(context);
    const links = (await readEmlOutbox(context)).filter((message) => (message.subject ?? '').startsWith('Follow-up feedback'));
    for (const mail of links) await answerSurvey(context.browser(), linkIn(mail, '/s/'), () => 5);
    // Everyone answered, but the evaluation is open: no figures until it closes.
    const open = await api('GET', `/rounds/${evaluationId}/change`);
    expect(open.status).toBe(409);
    expect(open.body.error.details).toMatchObject({ roundStatus: 'open', moreResponsesNeeded: 0 });
    await api('POST', `/rounds/${evaluationId}/close`);
    const change = await api('GET', `/rounds/${evaluationId}/change`);
    expect(change.status).toBe(200);
    expect(change.body).toMatchObject({ baselineRoundId: roundId, evaluationRoundId: evaluationId, ratersInBoth: 5, versions: { baseline: 1, evaluation: 1 } });
    expect(change.body.items[0].allOthers).toMatchObject({ compared: true, difference: 1 });
    expect((await api('GET', `/rounds/${others.roundId}/change`)).status).toBe(404);
  });

  it('stops a revoked token at once, on every endpoint', async () => {
    const { token, apiToken } = await createApiToken(context.db, context.clock, coach.id, 'Short-lived');
    const revoked = client(context, token);
    expect((await revoked('GET', '/engagements')).status).toBe(200);
    const browser = await signedInBrowser(context, coach);
    expect((await browser.post(`/account/api-tokens/${apiToken.id}/revoke`)).status).toBe(303);
    for (const [method, path] of ENDPOINTS(roundId, engagementId)) {
      const answer = await revoked(method, path, method === 'GET' ? undefined : {});
      expect(answer.status, `${method} ${path}`).toBe(401);
    }
  });
});

describe('API rate limiting per token', () => {
  it('answers 429 with Retry-After on every endpoint once a token is over its limit, and only for that token', async () => {
    const context = await createTestContext('sqlite', { env: { API_RATE_LIMIT: '20' } });
    try {
      const coach = await createCoach(context);
      const busy = client(context, (await createApiToken(context.db, context.clock, coach.id, 'Busy')).token);
      const calm = client(context, (await createApiToken(context.db, context.clock, coach.id, 'Calm')).token);
      for (let request = 0; request < 20; request += 1) expect((await busy('GET', '/engagements')).status).toBe(200);
      for (const [method, path] of ENDPOINTS('any-round', 'any-engagement')) {
        const answer = await busy(method, path, method === 'GET' ? undefined : {});
        expect(answer.status, `${method} ${path}`).toBe(429);
        expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
        expect(answer.body.error.code).toBe('rate_limited');
      }
      expect((await calm('GET', '/engagements')).status).toBe(200);
      context.clock.advanceMinutes(1);
      expect((await busy('GET', '/engagements')).status).toBe(200);
    } finally {
      await context.close();
    }
  });
});

describe('API tokens on the account page', () => {
  it('are shown once, stored hashed, record the day of last use, and can be revoked', async () => {
    const context = await createTestContext('sqlite');
    try {
      const coach = await createCoach(context);
      const browser = await signedInBrowser(context, coach);
      expect((await browser.post('/account/api-tokens', { name: '' })).status).toBe(422);
      const created = await browser.post('/account/api-tokens', { name: 'CRM sync' });
      expect(created.status).toBe(201);
      const token = /id="new-token"[^>]*value="([A-Za-z0-9_-]{43})"/.exec(created.text)![1]!;
      expect((await browser.get('/account')).text).not.toContain(token);
      const row = await context.db.selectFrom('api_tokens').selectAll().executeTakeFirstOrThrow();
      expect(row.token_hash).toBe(hashToken(token));
      expect(JSON.stringify(row)).not.toContain(token);
      expect(row.last_used_on).toBeNull();
      context.clock.advanceDays(1);
      expect((await client(context, token)('GET', '/engagements')).status).toBe(200);
      expect((await context.db.selectFrom('api_tokens').select('last_used_on').executeTakeFirstOrThrow()).last_used_on).toBe('2026-03-03');
      expect((await browser.get('/account')).text).toContain('3 Mar 2026');
      // Another coach cannot revoke it.
      const intruder = await signedInBrowser(context, await createCoach(context));
      expect((await intruder.post(`/account/api-tokens/${row.id}/revoke`)).status).toBe(404);
      expect((await browser.post(`/account/api-tokens/${row.id}/revoke`)).status).toBe(303);
      expect((await client(context, token)('GET', '/engagements')).status).toBe(401);
    } finally {
      await context.close();
    }
  });

  it('are all revoked by a password change, and by "Revoke all tokens", but not another coach\'s', async () => {
    const context = await createTestContext('sqlite');
    try {
      const coach = await createCoach(context);
      const other = await createCoach(context);
      const first = (await createApiToken(context.db, context.clock, coach.id, 'CRM sync')).token;
      const second = (await createApiToken(context.db, context.clock, coach.id, 'Spreadsheet')).token;
      const othersToken = (await createApiToken(context.db, context.clock, other.id, 'Theirs')).token;
      const browser = await signedInBrowser(context, coach);
      const changed = await browser.post('/account/password', { currentPassword: TEST_PASSWORD, newPassword: 'a brand new password', confirmPassword: 'a brand new password' });
      expect(changed.status).toBe(303);
      for (const token of [first, second]) expect((await client(context, token)('GET', '/engagements')).status).toBe(401);
      expect((await client(context, othersToken)('GET', '/engagements')).status).toBe(200);
      expect((await browser.get('/account')).text).toContain('your API tokens revoked');

      const third = (await createApiToken(context.db, context.clock, coach.id, 'After the change')).token;
      const fourth = (await createApiToken(context.db, context.clock, coach.id, 'Another')).token;
      const revokeAll = await browser.post('/account/api-tokens/revoke-all');
      expect(revokeAll.status).toBe(303);
      expect((await browser.get('/account')).text).toContain('2 tokens revoked');
      for (const token of [third, fourth]) expect((await client(context, token)('GET', '/engagements')).status).toBe(401);
      expect((await client(context, othersToken)('GET', '/engagements')).status).toBe(200);
      expect((await browser.post('/account/api-tokens/revoke-all')).status).toBe(303);
      expect((await browser.get('/account')).text).toContain('No token was working.');
    } finally {
      await context.close();
    }
  });
});
