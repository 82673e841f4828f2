import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../server/api/api-tokens.service';
import type { Coach } from '../../server/auth/coach';
import { DATABASE_KINDS } from '../helpers/databases';
import type { TestBrowser } from '../helpers/http-client';
import { createCoach, createTestContext, signedInBrowser, type TestContext } from '../helpers/test-app';
import { assessedLeader, everywhere, practiceQuestionnaire } from '../norms/practice';

/**
 * Someone shown a team report keeps it. Seven leaders, none released (Ada, Ben, Cleo and Dev of
 * Acme; Eve, Finn and Gus of Globex): whatever the coach does with teams, no two team reports shown
 * may differ by fewer than three of them, nor any combination of the reports shown.
 */
const LEADERS = [
  ['Ada', 'Acme', 2],
  ['Ben', 'Acme', 3],
  ['Cleo', 'Acme', 4],
  ['Dev', 'Acme', 5],
  ['Eve', 'Globex', 1],
  ['Finn', 'Globex', 2],
  ['Gus', 'Globex', 3],
] as const;

describe.each(DATABASE_KINDS)('team membership behind the leaders\' gate (%s)', (kind) => {
  let context: TestContext;
  let coach: Coach;
  let browser: TestBrowser;
  let version: string;
  let token: string;
  const ids: Record<string, string> = {};

  const api = async (method: string, path: string, body?: unknown) => {
    const response = await context.app.request(`/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: JSON.parse(await response.text()) };
  };
  const members = async (teamId: string) => ((await api('GET', `/teams/${teamId}`)).body.leaders as Array<{ clientName: string }>).map((leader) => leader.clientName).sort();

  beforeAll(async () => {
    context = await createTestContext(kind);
    coach = await createCoach(context);
    browser = await signedInBrowser(context, coach);
    token = (await createApiToken(context.db, context.clock, coach.id, 'Gate')).token;
    const questionnaireId = await practiceQuestionnaire(context, coach);
    for (const [name, organisation, i1] of LEADERS) {
      const { engagement } = await assessedLeader(context, coach, questionnaireId, { ...everywhere(3), i1 }, { name, organisation });
      ids[name] = engagement.id;
    }
    version = (await api('GET', '/questionnaire-versions')).body.items[0].version;
  });
  afterAll(() => context.close());

  it('refuses on the page a leader who would be the difference between two team reports, and says what would allow it', async () => {
    const created = await browser.post('/teams', { name: 'Acme leaders', version, organisation: 'Acme' });
    expect(created.status).toBe(303);
    const teamId = created.location!.split('/')[2]!;
    const shown = await browser.get(`/teams/${teamId}`);
    expect(shown.status).toBe(200);
    // i1 of Ada, Ben, Cleo and Dev: (2 + 3 + 4 + 5) / 4 = 3.5.
    expect(JSON.parse((await browser.get(`/teams/${teamId}/report.json`)).text).report.competencies[0].items[0].others).toMatchObject({ withheld: false, mean: 3.5, leaders: 4 });

    const refused = await browser.post(`/teams/${teamId}/members/add`, { engagementId: ids.Eve });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('Adding this leader would let the figures on the competency “Direction” of Eve be worked out.');
    expect(refused.text).toContain('Release their reports to them first, or change the team by at least 3 such leaders at once.');
    expect(await members(teamId)).toEqual(['Ada', 'Ben', 'Cleo', 'Dev']);
    const removal = await browser.post(`/teams/${teamId}/members/remove`, { engagementId: ids.Ada });
    expect(removal.status).toBe(409);
    expect(removal.text).toContain('Removing this leader would let the figures on the competency “Direction” of Ada be worked out.');

    // Three at once: no combination of the two reports rests on fewer than three leaders.
    const three = await api('PATCH', `/teams/${teamId}`, { add: [ids.Eve, ids.Finn, ids.Gus] });
    expect(three.status).toBe(200);
    const seven = await api('GET', `/teams/${teamId}/report`);
    expect(seven.status).toBe(200);
    // (2 + 3 + 4 + 5 + 1 + 2 + 3) / 7 = 20 / 7.
    expect(seven.body.report.competencies[0].items[0].others.mean).toBeCloseTo(20 / 7, 12);

    // Down to Dev, Eve, Finn and Gus would pass against the seven alone, but with the first report too
    // (Ada..Dev) − ((Ada..Gus) − (Dev..Gus)) is Dev alone.
    const swap = await api('PATCH', `/teams/${teamId}`, { remove: [ids.Ada, ids.Ben, ids.Cleo] });
    expect(swap.status).toBe(409);
    expect(swap.body.error.message).toContain('of Dev be worked out');
    expect(swap.body.error.details).toMatchObject({ reason: 'would-single-out', leadersSingledOut: 1, k: 3 });
    expect(await members(teamId)).toEqual(['Ada', 'Ben', 'Cleo', 'Dev', 'Eve', 'Finn', 'Gus']);
  });

  it('checks every team of the questionnaire against every report shown, even of a deleted team', async () => {
    // Globex alone (Eve, Finn, Gus) differs from the seven by Acme's four, and from Acme's four by all seven: allowed.
    const globex = await api('POST', '/teams', { name: 'Globex', questionnaireVersion: version, organisation: 'Globex' });
    expect(globex.status).toBe(201);
    expect((await api('GET', `/teams/${globex.body.id}/report`)).status).toBe(200);
    // Globex with Ada is the seven less Ben, Cleo and Dev... and Globex plus Ada alone: Ada is singled out.
    const withAda = await api('POST', '/teams', { name: 'Globex and Ada', questionnaireVersion: version, engagementIds: [ids.Eve, ids.Finn, ids.Gus, ids.Ada] });
    expect(withAda.status).toBe(409);
    expect(withAda.body.error.message).toContain('A team of these leaders would let');
    expect(withAda.body.error.message).toContain('of Ada be worked out');
    // Deleting the team does not take its reports back from whoever saw them.
    expect((await browser.post(`/teams/${globex.body.id}/delete`)).status).toBe(303);
    expect((await api('POST', '/teams', { name: 'Globex and Ada', questionnaireVersion: version, engagementIds: [ids.Eve, ids.Finn, ids.Gus, ids.Ada] })).status).toBe(409);
    const rows = await context.db.selectFrom('shown_team_reports').select(['team_id', 'footprint']).where('coach_id', '=', coach.id).execute();
    expect(rows).toHaveLength(3);
    // What is kept is which leaders stand behind each figure, never a figure.
    for (const row of rows) expect(Object.keys(JSON.parse(row.footprint)).sort()).toEqual(['leaders', 'subjects']);
  });

  it('shows the same report again without a new record, and another coach\'s reports do not count', async () => {
    const [team] = (await api('GET', '/teams')).body.items;
    for (let i = 0; i < 3; i++) expect((await api('GET', `/teams/${team.id}/report`)).status).toBe(200);
    expect(await context.db.selectFrom('shown_team_reports').select('id').where('coach_id', '=', coach.id).execute()).toHaveLength(3);
    const other = await createCoach(context);
    expect(await context.db.selectFrom('shown_team_reports').select('id').where('coach_id', '=', other.id).execute()).toEqual([]);
  });
});
