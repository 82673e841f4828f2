import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Coach } from '../../server/auth/auth.repository';
import { splitFields } from '../../server/rounds/rater-list';
import { newSecretToken } from '../../server/secrets';
import { DATABASE_KINDS } from '../helpers/databases';
import type { TestBrowser } from '../helpers/http-client';
import { deliverOutbox, linkIn, readEmlOutbox, recipientsOf } from '../helpers/mail';
import { answerSurvey, createRoundWithRaters, launch } from '../helpers/rounds';
import { createCoach, createTestContext, signedInBrowser, type TestContext } from '../helpers/test-app';

describe.each(DATABASE_KINDS)('the report and its release to the client (%s)', (kind) => {
  let context: TestContext;
  let coach: Coach;
  let browser: TestBrowser;
  let roundId: string;
  let engagementId: string;
  let links: Map<string, string>;

  beforeAll(async () => {
    context = await createTestContext(kind);
    coach = await createCoach(context, { name: 'Kim Coach' });
    browser = await signedInBrowser(context, coach);
    // Manager 1, peers 3, direct reports 3, others 1: "others" is too small to be shown on its own.
    const { round, engagement } = await createRoundWithRaters(context, coach, { manager: 1, peers: 3, reports: 3, others: 1 });
    roundId = round.id;
    engagementId = engagement.id;
    await launch(context, coach, round.id);
    await deliverOutbox(context);
    links = new Map((await readEmlOutbox(context)).map((mail) => [recipientsOf(mail)[0]!, linkIn(mail, '/s/')]));
  });
  afterAll(() => context.close());

  const answer = (prefix: string, rating: number) =>
    answerSurvey(context.browser(), [...links].find(([email]) => email.startsWith(prefix))![1], (id) => (id === 'c1i2' ? 'na' : rating), { q1: `${prefix} says hello <b>bold</b>` });

  async function clientMails() {
    await deliverOutbox(context);
    return (await readEmlOutbox(context)).filter((mail) => recipientsOf(mail)[0] === 'jordan.lee@example.com' && (mail.text ?? '').includes('/r/'));
  }

  it('says how many more responses are needed before there is anything to show', async () => {
    await answer('jordan.lee', 5);
    await answer('peers-1', 4);
    const page = await browser.get(`/rounds/${roundId}/report`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Not enough responses yet');
    expect(page.text).toContain('So far: 1. 2 more are needed.');
    expect(page.text).not.toContain('Competencies at a glance');
  });

  it('shows a draft report while the round is open, and refuses to release it', async () => {
    for (const [prefix, rating] of [['peers-2', 4], ['peers-3', 2], ['reports-1', 5], ['reports-2', 5], ['reports-3', 3], ['manager', 3], ['others', 1]] as const) {
      expect((await answer(prefix, rating)).status).toBe(200);
    }
    const page = await browser.get(`/rounds/${roundId}/report`);
    expect(page.text).toContain('Draft: the round is still open');
    expect(page.text).toContain('Competencies at a glance');
    expect(page.text).toContain('Close the round to release its report');
    expect((await browser.post(`/rounds/${roundId}/release`, { note: '' })).status).toBe(409);
    // Our own Chart.js, and the numbers as a table too.
    expect(page.text).toMatch(/<script src="\/static\/vendor\/chart\.umd\.min\.js\?v=[0-9a-f]{12}" defer><\/script>/);
    expect(page.text).toContain('<script type="application/json" id="chart-overview-data">');
    // Comments are escaped and unattributed.
    expect(page.text).toContain('peers-1 says hello &lt;b&gt;bold&lt;/b&gt;');
    expect(page.text).not.toContain('peers rater 1');
  });

  it('exports only shown aggregates, as CSV and JSON', async () => {
    const csv = await browser.get(`/rounds/${roundId}/report.csv`);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="jordan-lee-baseline-360.csv"');
    const lines = csv.text.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('level,competency,item,group,n,n_na,mean,sd,answers_1,answers_2,answers_3,answers_4,answers_5,rwg,flag');
    const rows = lines.slice(1).map(splitFields);
    const groups = new Set(rows.map((fields) => fields[3]));
    // "Others" has 1 responder: had peers and direct reports both been shown, All others minus the
    // shown groups would be that one person. So the later of the two tied groups is merged too.
    expect([...groups].sort()).toEqual(['All others', 'Manager', 'Peers', 'Self']);
    // Item c1i1, hand-computed. Peers answered 4, 4, 2: mean 10/3 = 3.333333, sd = sqrt(((2/3)² + (2/3)² + (4/3)²) / 2) = sqrt(4/3) = 1.154701.
    const peers = lines.find((line) => line.startsWith('item,Vision and strategy,Describes a clear and compelling direction for the team.,Peers,'))!;
    expect(peers).toBe('item,Vision and strategy,Describes a clear and compelling direction for the team.,Peers,3,0,3.333333,1.154701,0,1,0,2,0,,');
    // All others: manager 3, peers 4 4 2, reports 5 5 3, others 1 → n = 8, sum = 27, mean = 3.375.
    const others = lines.find((line) => line.startsWith('item,Vision and strategy,Describes a clear and compelling direction for the team.,All others,'))!;
    expect(splitFields(others).slice(4, 7)).toEqual(['8', '0', '3.375']);
    // c1i2 was answered N/A by everybody: no row at all, for anyone.
    expect(lines.some((line) => line.includes('Connects the team'))).toBe(false);

    const json = await browser.get(`/rounds/${roundId}/report.json`);
    const body = JSON.parse(json.text) as { round: { draft: boolean }; report: { groups: Array<{ key: string; status: string }>; shownGroupKeys: string[] } };
    expect(body.round.draft).toBe(true);
    expect(body.report.shownGroupKeys).toEqual(['manager', 'peers']);
    expect(body.report.groups.find((group) => group.key === 'others')!.status).toBe('below-minimum');
    expect(body.report.groups.find((group) => group.key === 'reports')!.status).toBe('merged');
    expect(json.text).not.toContain('example.com');
  });

  it('releases to the client once closed: an email with a private link, and the engagement moves to goal setting', async () => {
    expect((await browser.get('/r/' + newSecretToken().token)).status).toBe(404); // nothing released yet
    await browser.post(`/rounds/${roundId}/close`);
    const page = await browser.get(`/rounds/${roundId}/report`);
    expect(page.text).not.toContain('Draft: the round is still open');
    const released = await browser.post(`/rounds/${roundId}/release`, { note: 'As we discussed: focus on listening.' });
    expect(released.status).toBe(303);

    const [mail] = await clientMails();
    expect(mail!.subject).toBe('Your 360 feedback report is ready');
    expect(mail!.text).toContain('As we discussed: focus on listening.');
    const link = linkIn(mail!, '/r/');
    const client = await context.browser().get(link);
    expect(client.status).toBe(200);
    expect(client.text).toContain('360° feedback for Jordan Lee');
    expect(client.text).toContain('A note from Kim Coach');
    expect(client.text).toContain('As we discussed: focus on listening.');
    expect(client.text).toContain('Competencies at a glance');
    for (const control of ['<form', 'Release report', 'Download CSV', 'href="/rounds/', 'Revoke link', 'Sign out']) expect(client.text).not.toContain(control);

    const engagement = await context.db.selectFrom('engagements').select('stage').where('id', '=', engagementId).executeTakeFirstOrThrow();
    expect(engagement.stage).toBe('goal-setting');
  });

  it('lets the coach revoke the link', async () => {
    const [mail] = (await clientMails()).slice(-1);
    const link = linkIn(mail!, '/r/');
    const release = await context.db.selectFrom('report_releases').select('id').where('round_id', '=', roundId).executeTakeFirstOrThrow();
    expect((await browser.post(`/rounds/${roundId}/releases/${release.id}/revoke`)).status).toBe(303);
    expect((await context.browser().get(link)).status).toBe(404);
  });

  it('creates a new version when released again after new responses, and the old link stops', async () => {
    const first = (await clientMails()).at(-1)!;
    await browser.post(`/rounds/${roundId}/reopen`, { deadlineDay: '2026-03-30' });
    const reopened = await browser.get(`/rounds/${roundId}/report`);
    expect(reopened.text).toContain('This report was released before the round was reopened');
    await browser.post(`/rounds/${roundId}/raters`, { email: 'late.peer@example.com', name: '', group: 'peers' });
    await deliverOutbox(context);
    const lateLink = linkIn((await readEmlOutbox(context)).find((mail) => recipientsOf(mail)[0] === 'late.peer@example.com')!, '/s/');
    await answerSurvey(context.browser(), lateLink, () => 3);
    await browser.post(`/rounds/${roundId}/close`);
    expect((await browser.post(`/rounds/${roundId}/release`, { note: 'Updated with one more answer.' })).status).toBe(303);

    const second = (await clientMails()).at(-1)!;
    expect(second.subject).toBe('An updated version of your 360 feedback report is ready');
    expect((await context.browser().get(linkIn(first, '/r/'))).status).toBe(404);
    const current = await context.browser().get(linkIn(second, '/r/'));
    expect(current.status).toBe(200);
    expect(current.text).toContain('(version 2)');
    const versions = await context.db.selectFrom('report_releases').select(['version', 'superseded_at', 'revoked_at']).where('round_id', '=', roundId).orderBy('version').execute();
    expect(versions.map((row) => row.version)).toEqual([1, 2]);
    expect(versions[1]!.superseded_at).toBeNull();
  });

  it('expires the client link after the configured days', async () => {
    const link = linkIn((await clientMails()).at(-1)!, '/r/');
    context.clock.advanceDays(89);
    expect((await context.browser().get(link)).status).toBe(200);
    context.clock.advanceDays(2);
    expect((await context.browser().get(link)).status).toBe(404);
  });
});
