import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../server/api/api-tokens.service';
import { DATABASE_KINDS } from '../helpers/databases';
import { createCoach, createTestContext, type TestContext } from '../helpers/test-app';

describe.each(DATABASE_KINDS)('re-running a baseline through the API (%s)', (kind) => {
  let context: TestContext;
  let call: (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON of many shapes

  beforeAll(async () => {
    context = await createTestContext(kind);
    const coach = await createCoach(context);
    const { token } = await createApiToken(context.db, context.clock, coach.id, 'CRM');
    call = async (method, path, body) => {
      const response = await context.app.request(`/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: await response.json() };
    };
  });
  afterAll(() => context.close());

  it('refuses to re-run an open or draft baseline (409), as the round page does, and creates nothing', async () => {
    const engagement = await call('POST', '/engagements', { clientName: 'Casey Open', clientEmail: 'casey.open@example.com' });
    const raters = ['a', 'b', 'c'].map((name) => ({ email: `${name}@example.com`, group: 'peers' }));
    const baseline = await call('POST', '/rounds', { engagementId: engagement.body.id, questionnaireId: 'leadership-360', deadline: '2026-04-01', raters });
    expect(baseline.status).toBe(201);

    const draftRerun = await call('POST', `/rounds/${baseline.body.id}/rerun`);
    expect(draftRerun.status).toBe(409);
    expect((await call('POST', `/rounds/${baseline.body.id}/launch`)).body.status).toBe('open');

    const openRerun = await call('POST', `/rounds/${baseline.body.id}/rerun`);
    expect(openRerun.status).toBe(409);
    expect(openRerun.body.error).toMatchObject({ code: 'conflict', message: 'Only a closed baseline round can be re-run for evaluation.' });
    const rounds = await context.db.selectFrom('rounds').select(['id', 'purpose']).where('engagement_id', '=', engagement.body.id).execute();
    expect(rounds).toEqual([{ id: baseline.body.id, purpose: 'baseline' }]);

    // Once closed it can be re-run; the draft re-run has no change report until it is launched.
    await call('POST', `/rounds/${baseline.body.id}/close`);
    const evaluation = await call('POST', `/rounds/${baseline.body.id}/rerun`);
    expect(evaluation.status).toBe(201);
    const change = await call('GET', `/rounds/${evaluation.body.id}/change`);
    expect(change.status).toBe(409);
    expect(change.body.error.message).toBe('This round has not been launched yet.');
  });
});
