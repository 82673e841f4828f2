import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Coach } from '../../server/auth/coach';
import { mailContext } from '../../server/http/mail-context';
import { questionnaireVersionOf } from '../../server/norms/questionnaire-version';
import { releaseReport } from '../../server/reports/reports.service';
import { findRound } from '../../server/rounds/rounds.repository';
import { DATABASE_KINDS } from '../helpers/databases';
import type { TestBrowser } from '../helpers/http-client';
import { createCoach, createTestContext, signedInBrowser, type TestContext } from '../helpers/test-app';
import { assessedLeader, everywhere, practiceQuestionnaire } from '../norms/practice';

/**
 * Four leaders of one organisation, whose peers' ratings (All others) and self-ratings are:
 *
 *          i1 i2 | i3 i4 | self   c1    c2
 *   Ada     3  2 |  4  4 |  5     2.5   4
 *   Ben     4  2 |  3  5 |  4     3     4
 *   Cleo    5  3 |  4  3 |  5     4     3.5
 *   Dev     4  1 |  5  4 |  2     2.5   4.5
 *
 * Team (each leader once): i1 (3+4+5+4)/4 = 4, i2 8/4 = 2, i3 16/4 = 4, i4 16/4 = 4; every item's
 * deviations are a permutation of 0, 0, 1, -1, so each spread is sqrt(2/3). c1 12/4 = 3 with
 * deviations -0.5, 0, 1, -0.5: variance 1.5/3 = 0.5; c2 16/4 = 4 with 0, 0, -0.5, 0.5: 0.5/3.
 * Self (5+4+5+2)/4 = 4 everywhere: i2 +2 and c1 +1 (exactly tau = (5-1)/4) are blind spots.
 */
const TEAM = [
  { name: 'Ada Quinn', others: { i1: 3, i2: 2, i3: 4, i4: 4 }, self: 5 },
  { name: 'Ben Ortiz', others: { i1: 4, i2: 2, i3: 3, i4: 5 }, self: 4 },
  { name: 'Cleo Park', others: { i1: 5, i2: 3, i3: 4, i4: 3 }, self: 5 },
  { name: 'Dev Rao', others: { i1: 4, i2: 1, i3: 5, i4: 4 }, self: 2 },
];

describe.each(DATABASE_KINDS)('team reports through the server (%s)', (kind) => {
  let context: TestContext;
  let coach: Coach;
  let browser: TestBrowser;
  let version: string;
  let teamId: string;
  const rounds: Record<string, string> = {};

  beforeAll(async () => {
    context = await createTestContext(kind);
    coach = await createCoach(context);
    browser = await signedInBrowser(context, coach);
    const questionnaireId = await practiceQuestionnaire(context, coach);
    for (const leader of TEAM) {
      const { round } = await assessedLeader(context, coach, questionnaireId, leader.others, { self: leader.self, name: leader.name, organisation: 'Contoso Health' });
      rounds[leader.name] = round.id;
    }
    // A leader of another organisation, in no team.
    await assessedLeader(context, coach, questionnaireId, everywhere(1), { name: 'Eve Outsider', organisation: 'Elsewhere' });
    version = questionnaireVersionOf((await findRound(context.db, rounds['Ada Quinn']!))!.snapshot!);
  });
  afterAll(() => context.close());

  const report = async () => {
    const response = await browser.get(`/teams/${teamId}/report.json`);
    expect(response.status, response.text).toBe(200);
    return JSON.parse(response.text);
  };

  it('gathers an organisation\'s leaders and gives each the same weight (hand-computed)', async () => {
    const created = await browser.post('/teams', { name: 'Contoso leadership team', version, organisation: 'contoso health' });
    expect(created.status).toBe(303);
    teamId = /^\/teams\/([A-Za-z0-9_-]+)$/.exec(created.location!)![1]!;
    const json = await report();
    expect(json.leaders.map((leader: { name: string; released: boolean }) => [leader.name, leader.released])).toEqual(TEAM.map((leader) => [leader.name, false]));
    const [c1, c2] = json.report.competencies;
    const spread = Math.sqrt(2 / 3);
    expect(c1.items.map((item: { others: unknown }) => item.others)).toEqual([
      { withheld: false, mean: 4, leaders: 4, sd: spread },
      { withheld: false, mean: 2, leaders: 4, sd: spread },
    ]);
    expect(c2.items.map((item: { others: { mean: number } }) => item.others.mean)).toEqual([4, 4]);
    expect(c1.others).toMatchObject({ mean: 3, leaders: 4 });
    expect(c1.others.sd).toBeCloseTo(Math.sqrt(0.5), 12);
    expect(c2.others).toMatchObject({ mean: 4, leaders: 4 });
    expect(c2.others.sd).toBeCloseTo(Math.sqrt(0.5 / 3), 12);
    expect(c1.self).toMatchObject({ mean: 4 });
    expect(json.report.blindSpots.map((entry: { type: string; id: string; gap: number }) => [entry.type, entry.id, entry.gap])).toEqual([['item', 'i2', 2], ['competency', 'c1', 1]]);
    expect(json.report.strengths.map((entry: { id: string }) => entry.id)).toEqual(['i1', 'i3', 'i4', 'i2']);
    // No leader's own figure anywhere: none was released.
    expect(json.report.competencies.flatMap((competency: { released: unknown[] }) => competency.released)).toEqual([]);

    const csv = await browser.get(`/teams/${teamId}/report.csv`);
    expect(csv.headers.get('content-disposition')).toContain('Contoso leadership team team 360.csv');
    const rows = parse(csv.text.replace(/^\uFEFF/, ''), { columns: true }) as Array<Record<string, string>>;
    expect(Object.keys(rows[0]!)).toEqual(['level', 'competency', 'item', 'team_mean', 'leaders', 'spread_sd', 'team_self_mean', 'gap', 'finding', 'note']);
    expect(rows.find((row) => row.item === 'Explains decisions')).toMatchObject({ team_mean: '2', leaders: '4', spread_sd: '0.816497', team_self_mean: '4', gap: '2', finding: 'blind-spot' });
    expect(rows.find((row) => row.level === 'competency' && row.competency === 'Direction')).toMatchObject({ team_mean: '3', spread_sd: '0.707107', gap: '1', finding: 'blind-spot' });

    const page = await browser.get(`/teams/${teamId}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Contoso leadership team');
    expect(page.text).toMatch(/Explains decisions <span class="badge badge-warn">Blind spot<\/span><\/th><td class="num" data-label="Team"><span class="value">2\.00<span class="n" title="leaders"> 4<\/span>/);
    expect(page.text).not.toContain('Eve Outsider');
  });

  it('shows a leader\'s own figures only once their report was released to them, and withholds team figures that would give the others away', async () => {
    await releaseReport(context.db, mailContext(context.deps), coach.id, rounds['Ada Quinn']!, { note: '', linkDays: 90 });
    const one = await report();
    expect(one.leaders.filter((leader: { released: boolean }) => leader.released).map((leader: { name: string }) => leader.name)).toEqual(['Ada Quinn']);
    const ada = one.leaders.find((leader: { name: string }) => leader.name === 'Ada Quinn').engagementId;
    expect(one.report.competencies[0].items[0].released).toEqual([{ leaderId: ada, mean: 3 }]);
    // Three unreleased leaders remain behind each team figure: still shown.
    expect(one.report.competencies[0].items[0].others).toMatchObject({ withheld: false, mean: 4 });
    const csv = await browser.get(`/teams/${teamId}/report.csv`);
    expect(csv.text.split('\r\n')[0]).toContain('released: Ada Quinn');
    expect(csv.text.split('\r\n')[0]).not.toContain('Ben Ortiz');
    expect((await browser.get(`/teams/${teamId}`)).text).toContain('<th scope="col" class="num">Ada Quinn <span class="muted small">(own)</span></th>');

    // Ben's release too: the team report would now show Ben's own figures by name, and the one shown
    // before (Ada, Ben, Cleo and Dev together) less Ada's and Ben's would give Cleo's and Dev's sum.
    await releaseReport(context.db, mailContext(context.deps), coach.id, rounds['Ben Ortiz']!, { note: '', linkDays: 90 });
    for (const path of [`/teams/${teamId}/report.json`, `/teams/${teamId}/report.csv`]) {
      const refused = await browser.get(path);
      expect(refused.status, path).toBe(409);
      expect(refused.text).toContain('Cleo Park, Dev Rao');
    }
    const page = await browser.get(`/teams/${teamId}`);
    expect(page.text).toContain('This team report cannot be shown now.');
    expect(page.text).toContain('of Cleo Park, Dev Rao be worked out');
    expect(page.text).not.toContain('Ben Ortiz <span class="muted small">(own)</span>');

    // Once Cleo's and Dev's reports are released too, nobody is left to protect: every figure is shown, with each leader's own.
    for (const name of ['Cleo Park', 'Dev Rao']) await releaseReport(context.db, mailContext(context.deps), coach.id, rounds[name]!, { note: '', linkDays: 90 });
    const all = await report();
    expect(all.report.competencies[0].items[0].others).toMatchObject({ withheld: false, mean: 4, leaders: 4 });
    const rows = parse((await browser.get(`/teams/${teamId}/report.csv`)).text.replace(/^\uFEFF/, ''), { columns: true }) as Array<Record<string, string>>;
    expect(rows[0]).toMatchObject({ team_mean: '3', leaders: '4' });
    expect(rows[0]!['released: Ada Quinn']).toBe('2.5');
    expect(rows[0]!['released: Ben Ortiz']).toBe('3');
  });

  it('takes only engagements with a closed baseline on its questionnaire, and keeps lists a page at a time', async () => {
    const members = await browser.get(`/teams/${teamId}/members`);
    expect(members.status).toBe(200);
    for (const leader of TEAM) expect(members.text).toContain(leader.name);
    const candidates = await browser.get(`/teams/${teamId}/candidates?q=eve`);
    expect(candidates.text).toContain('Eve Outsider');
    expect(candidates.text).not.toContain('Ada Quinn');
    const eve = await context.db.selectFrom('engagements').select('id').where('client_name', '=', 'Eve Outsider').executeTakeFirstOrThrow();
    // Eve's report is not released: with four released leaders beside her, every team figure would be hers, so each is withheld.
    expect((await browser.post(`/teams/${teamId}/members/add`, { engagementId: eve.id })).status).toBe(303);
    const withEve = await report();
    expect(withEve.leaders).toHaveLength(5);
    expect(withEve.report.competencies.flatMap((competency: { items: Array<{ others: { withheld: boolean } }> }) => competency.items.map((item) => item.others.withheld))).toEqual([true, true, true, true]);
    expect((await browser.post(`/teams/${teamId}/members/remove`, { engagementId: eve.id })).status).toBe(303);
    // An engagement without a closed baseline on the questionnaire cannot join.
    const newcomer = await browser.post('/engagements', { clientName: 'No Baseline', clientEmail: 'nobaseline@example.com', organisation: 'Contoso Health', role: '', startDate: '2026-03-01', notes: '', stage: 'contracting' });
    const newcomerId = newcomer.location!.split('/').pop()!;
    expect((await browser.post(`/teams/${teamId}/members/add`, { engagementId: newcomerId })).status).toBe(404);
    // A team with no leader yet has a page, and no export.
    const empty = await browser.post('/teams', { name: 'Empty team', version, organisation: '' });
    const emptyId = empty.location!.split('/')[2]!;
    expect((await browser.get(`/teams/${emptyId}`)).text).toContain('nothing to show');
    expect((await browser.get(`/teams/${emptyId}/report.csv`)).status).toBe(409);
    const list = await browser.get('/teams');
    expect(list.text).toContain('Contoso leadership team');
    expect(list.text).toContain('Empty team');
  });

  it('is the coach\'s own: another coach gets 404 and changes nothing', async () => {
    const other = await signedInBrowser(context, await createCoach(context));
    for (const path of [`/teams/${teamId}`, `/teams/${teamId}/report.csv`, `/teams/${teamId}/report.json`, `/teams/${teamId}/members`, `/teams/${teamId}/candidates`]) {
      expect((await other.get(path)).status, path).toBe(404);
    }
    const ada = await context.db.selectFrom('engagements').select('id').where('client_name', '=', 'Ada Quinn').executeTakeFirstOrThrow();
    expect((await other.post(`/teams/${teamId}/members/remove`, { engagementId: ada.id })).status).toBe(404);
    expect((await other.post(`/teams/${teamId}/delete`)).status).toBe(404);
    expect((await other.post('/teams', { name: 'Stolen', version, organisation: 'Contoso Health' })).status).toBe(404);
    expect((await report()).leaders).toHaveLength(4);
  });
});
