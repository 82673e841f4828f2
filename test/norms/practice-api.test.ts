import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../server/api/api-tokens.service';
import type { Coach } from '../../server/auth/coach';
import { DATABASE_KINDS } from '../helpers/databases';
import { createCoach, createTestContext, signedInBrowser, type TestContext } from '../helpers/test-app';
import { assessedLeader, everywhere, practiceQuestionnaire } from './practice';

/** The JSON API as a token holder calls it: status and parsed body (text for CSV). */
function apiAs(context: TestContext, token: string) {
  return async (method: string, path: string, body?: unknown) => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
    const response = await context.app.request(`/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, text, body: response.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text) : null };
  };
}

/**
 * Three leaders whose peers rate i1 2, 3 and 4 (everything else 3) make a norm (NORM_MINIMUM_LEADERS=3
 * here); a fourth, assessed after it, rates 5. Percentiles in that norm, by hand: i1 = 4 has 2 below
 * and 1 level, (2 + 0.5) / 3 = 83.3; i1 = 5 has all 3 below: 100, the top 10%; i2 = 3 is level with
 * all three: 1.5 / 3 = 50.
 */
describe.each(DATABASE_KINDS)('practice norms and teams in the API and on the report (%s)', (kind) => {
  let context: TestContext;
  let coach: Coach;
  let api: ReturnType<typeof apiAs>;
  let otherApi: ReturnType<typeof apiAs>;
  let version: string;
  let normId: string;
  const rounds: string[] = [];

  beforeAll(async () => {
    context = await createTestContext(kind, { env: { NORM_MINIMUM_LEADERS: '3' } });
    coach = await createCoach(context);
    api = apiAs(context, (await createApiToken(context.db, context.clock, coach.id, 'Practice')).token);
    otherApi = apiAs(context, (await createApiToken(context.db, context.clock, (await createCoach(context)).id, 'Other')).token);
    const questionnaireId = await practiceQuestionnaire(context, coach);
    for (const value of [2, 3, 4]) rounds.push((await assessedLeader(context, coach, questionnaireId, { ...everywhere(3), i1: value })).round.id);
  });
  afterAll(() => context.close());

  it('lists the questionnaire versions and creates a norm behind the gate', async () => {
    const versions = await api('GET', '/questionnaire-versions');
    expect(versions.status).toBe(200);
    expect(versions.body.items).toEqual([expect.objectContaining({ questionnaireName: 'Team basics', competencies: 2, items: 4, leaders: 3 })]);
    version = versions.body.items[0].version;
    const created = await api('POST', '/norms', { questionnaireVersion: version });
    expect(created.status).toBe(201);
    normId = created.body.id;
    expect(created.body).toMatchObject({ leaders: 3, minimumLeaders: 3, k: 3, sequence: 1, archived: false });
    expect(created.body.competencies[0]).toMatchObject({ id: 'c1', leaders: 3, average: 3 });
    expect(created.body.competencies[0].items[0]).toEqual({ id: 'i1', text: 'Sets clear goals', leaders: 3, average: 3 });
    expect(JSON.stringify(created.body)).not.toContain('values');
    // The same leaders again: refused, naming the norm that has them.
    const again = await api('POST', '/norms', { questionnaireVersion: version });
    expect(again.status).toBe(409);
    expect(again.body.error.details).toEqual({ reason: 'same-leaders', norm: { id: normId, name: created.body.name } });
    expect((await api('POST', '/norms', { questionnaireVersion: 'f'.repeat(64) })).status).toBe(404);
    expect((await api('POST', '/norms', { questionnaireVersion: 'not a version' })).status).toBe(422);
    expect((await api('GET', '/norms')).body.items.map((norm: { id: string }) => norm.id)).toEqual([normId]);
    expect((await otherApi('GET', `/norms/${normId}`)).status).toBe(404);
    expect((await otherApi('GET', '/norms')).body.items).toEqual([]);
  });

  it('places a report\'s figures in the chosen norm, hand-computed, in the API, the exports and on the page', async () => {
    const inNorm = await api('GET', `/rounds/${rounds[2]}/report?norm=${normId}`);
    expect(inNorm.status).toBe(200);
    expect(inNorm.body.norm).toMatchObject({ id: normId, leaders: 3, includesLeader: true, topPercentile: 90 });
    expect(inNorm.body.norm.placements.i1).toEqual({ percentile: 250 / 3, top: false, average: 3, leaders: 3 });
    expect(inNorm.body.norm.placements.i2).toMatchObject({ percentile: 50, top: false });
    // Without a norm, the report is as before.
    expect((await api('GET', `/rounds/${rounds[2]}/report`)).body.norm).toBeUndefined();

    const questionnaireId = (await context.db.selectFrom('rounds').select('questionnaire_id').where('id', '=', rounds[0]!).executeTakeFirstOrThrow()).questionnaire_id!;
    const newcomer = await assessedLeader(context, coach, questionnaireId, { ...everywhere(3), i1: 5 }, { name: 'Newcomer Lee' });
    const top = await api('GET', `/rounds/${newcomer.round.id}/report?norm=${normId}`);
    expect(top.body.norm.includesLeader).toBe(false);
    expect(top.body.norm.placements.i1).toEqual({ percentile: 100, top: true, average: 3, leaders: 3 });
    const csv = parse((await api('GET', `/rounds/${newcomer.round.id}/report.csv?norm=${normId}`)).text.replace(/^\uFEFF/, ''), { columns: true }) as Array<Record<string, string>>;
    expect(csv.find((row) => row.item === 'Sets clear goals' && row.group === 'All others')).toMatchObject({ mean: '5', norm_percentile: '100', norm_top: 'yes' });
    expect(csv.find((row) => row.item === 'Sets clear goals' && row.group === 'Self')).toMatchObject({ norm_percentile: '', norm_top: '' });

    const browser = await signedInBrowser(context, coach);
    const page = await browser.get(`/rounds/${newcomer.round.id}/report?norm=${normId}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('<th scope="col" class="num">Norm percentile</th>');
    expect(page.text).toMatch(/data-label="Norm percentile">100th <span class="badge badge-ok"[^>]*>Top 10%<\/span>/);
    expect(page.text).toContain('Newcomer is not one of the norm’s leaders.');
    expect(page.text).toContain(`href="/rounds/${newcomer.round.id}/report.csv?norm=${normId}"`);
    const json = JSON.parse((await browser.get(`/rounds/${newcomer.round.id}/report.json?norm=${normId}`)).text);
    expect(json.norm.placements.c1).toMatchObject({ percentile: 100, top: true });
    // No norm chosen: no percentile column.
    expect((await browser.get(`/rounds/${newcomer.round.id}/report`)).text).not.toContain('Norm percentile</th>');
    // Another coach's norm is not found; an archived one is not offered.
    expect((await otherApi('GET', `/rounds/${newcomer.round.id}/report?norm=${normId}`)).status).toBe(404);
    expect((await api('POST', `/norms/${normId}/archive`)).body.archived).toBe(true);
    expect((await api('GET', `/rounds/${newcomer.round.id}/report?norm=${normId}`)).status).toBe(409);
    expect((await browser.get(`/rounds/${newcomer.round.id}/report`)).text).toContain('No visible norm of yours uses this questionnaire yet.');
    expect((await api('POST', `/norms/${normId}/restore`)).body.archived).toBe(false);
  });

  it('creates, changes and reports on teams, behind the gate the norms share', async () => {
    // The visible norm holds the first three leaders; a team of them and Newcomer Lee would differ from it by Newcomer alone.
    const refused = await api('POST', '/teams', { name: 'Northwind leaders', questionnaireVersion: version, organisation: 'NORTHWIND' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain('of Newcomer Lee be worked out');
    expect(refused.body.error.details).toMatchObject({ reason: 'would-single-out', leadersSingledOut: 1, k: 3 });
    expect((await api('GET', '/teams')).body.items).toEqual([]);
    expect((await api('POST', `/norms/${normId}/archive`)).body.archived).toBe(true);

    const created = await api('POST', '/teams', { name: 'Northwind leaders', questionnaireVersion: version, organisation: 'NORTHWIND' });
    expect(created.status).toBe(201);
    expect(created.body.members).toBe(4);
    const teamId = created.body.id;
    const report = await api('GET', `/teams/${teamId}/report`);
    expect(report.status).toBe(200);
    // i1 of the four leaders: 2, 3, 4, 5, each weighing the same: 14 / 4 = 3.5.
    expect(report.body.report.competencies[0].items[0].others).toMatchObject({ withheld: false, mean: 3.5, leaders: 4 });
    expect(report.body.leaders.map((leader: { released: boolean }) => leader.released)).toEqual([false, false, false, false]);
    // Now the norm cannot come back: beside this team report it would be Newcomer Lee's figures.
    const restore = await api('POST', `/norms/${normId}/restore`);
    expect(restore.status).toBe(409);
    expect(restore.body.error.details).toMatchObject({ reason: 'beside-team-reports', leadersSingledOut: 1, k: 3 });
    // Nor can Newcomer leave the team (the report shown before less the next one would be theirs); renaming is fine.
    const newcomer = created.body.leaders.find((leader: { clientName: string }) => leader.clientName === 'Newcomer Lee').engagementId;
    const removal = await api('PATCH', `/teams/${teamId}`, { name: 'Northwind founders', remove: [newcomer] });
    expect(removal.status).toBe(409);
    expect(removal.body.error.message).toContain('Removing this leader would let');
    expect((await api('GET', `/teams/${teamId}`)).body).toMatchObject({ name: 'Northwind leaders', members: 4 });
    expect((await api('PATCH', `/teams/${teamId}`, { name: 'Northwind founders' })).body).toMatchObject({ name: 'Northwind founders', members: 4 });
    expect((await api('GET', `/teams/${teamId}/report`)).body.report.competencies[0].items[0].others.mean).toBe(3.5);
    expect((await api('GET', `/teams/${teamId}/report.csv`)).text).toContain('team_mean');
    expect((await api('GET', '/teams')).body.items.map((team: { id: string }) => team.id)).toEqual([teamId]);
    expect((await otherApi('GET', `/teams/${teamId}`)).status).toBe(404);
    expect((await otherApi('PATCH', `/teams/${teamId}`, { add: [newcomer] })).status).toBe(404);
    expect((await otherApi('POST', '/teams', { name: 'Theirs', questionnaireVersion: version, engagementIds: [newcomer] })).status).toBe(404);
    expect((await api('GET', `/teams/${teamId}`)).body.members).toBe(4);
  });
});
