import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Coach } from '../../server/auth/coach';
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

  it('shows no figures while the round is open, only how many have answered', async () => {
    await answer('jordan.lee', 5);
    await answer('peers-1', 4);
    const page = await browser.get(`/rounds/${roundId}/report`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('No figures until the round closes');
    expect(page.text).toContain('2 of 9 people invited have answered so far');
    expect(page.text).toContain('2 more needed');
    expect(page.text).not.toContain('Competencies at a glance');
  });

  it('still shows none once everybody has answered, and refuses to release or export a report of an open round', async () => {
    for (const [prefix, rating] of [['peers-2', 4], ['peers-3', 2], ['reports-1', 5], ['reports-2', 5], ['reports-3', 3], ['manager', 3], ['others', 1]] as const) {
      expect((await answer(prefix, rating)).status).toBe(200);
    }
    const page = await browser.get(`/rounds/${roundId}/report`);
    expect(page.text).toContain('No figures until the round closes');
    expect(page.text).toContain('9 of 9 people invited have answered so far');
    expect(page.text).not.toContain('Competencies at a glance');
    expect(page.text).not.toContain('chart-overview-data');
    expect(page.text).not.toContain('says hello');
    expect((await browser.post(`/rounds/${roundId}/release`, { note: '' })).status).toBe(409);
    expect((await browser.get(`/rounds/${roundId}/report.csv`)).status).toBe(409);
    expect((await browser.get(`/rounds/${roundId}/report.json`)).status).toBe(409);
    const round = await browser.get(`/rounds/${roundId}`);
    expect(round.text).toContain('The report shows no figures while answers are coming in');
  });

  it('publishes version 1 when the round closes', async () => {
    expect((await browser.post(`/rounds/${roundId}/close`)).status).toBe(303);
    const page = await browser.get(`/rounds/${roundId}/report`);
    expect(page.text).toContain('version 1, published');
    expect(page.text).toContain('Competencies at a glance');
    // Our own Chart.js, and the numbers as a table too.
    expect(page.text).toMatch(/<script src="\/static\/vendor\/chart\.umd\.min\.js\?v=[0-9a-f]{12}" defer><\/script>/);
    expect(page.text).toContain('<script type="application/json" id="chart-overview-data">');
    // Comments are escaped and unattributed.
    expect(page.text).toContain('peers-1 says hello &lt;b&gt;bold&lt;/b&gt;');
    expect(page.text).not.toContain('peers rater 1');
  });

  it('exports only shown aggregates of the published version, as CSV and JSON', async () => {
    const csv = await browser.get(`/rounds/${roundId}/report.csv`);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="Jordan Lee baseline 360.csv"');
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
    // The competency row is the mean of its item rows (c1i2 was answered N/A by everybody, so only the
    // items with a figure count): no N/A count, spread or distribution of its own.
    const competencyRow = rows.find((fields) => fields[0] === 'competency' && fields[1] === 'Vision and strategy' && fields[3] === 'All others')!;
    expect(competencyRow.slice(5, 13)).toEqual(['', competencyRow[6], '', '', '', '', '', '']);
    // c1i2 was answered N/A by everybody: no row at all, for anyone.
    expect(lines.some((line) => line.includes('Connects the team'))).toBe(false);

    const json = await browser.get(`/rounds/${roundId}/report.json`);
    const body = JSON.parse(json.text) as { round: { version: number; lateAnswersHeld: number }; report: { groups: Array<{ key: string; status: string }>; shownGroupKeys: string[] } };
    expect(body.round).toMatchObject({ version: 1, lateAnswersHeld: 0 });
    expect(body.report.shownGroupKeys).toEqual(['manager', 'peers']);
    expect(body.report.groups.find((group) => group.key === 'others')!.status).toBe('below-minimum');
    expect(body.report.groups.find((group) => group.key === 'reports')!.status).toBe('merged');
    expect(json.text).not.toContain('example.com');
  });

  it('releases to the client once closed: an email with a private link, and the engagement moves to goal setting', async () => {
    expect((await browser.get('/r/' + newSecretToken().token)).status).toBe(404); // nothing released yet
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

  async function addLatePeer(email: string): Promise<string> {
    await browser.post(`/rounds/${roundId}/raters`, { email, name: '', group: 'peers' });
    await deliverOutbox(context);
    return linkIn((await readEmlOutbox(context)).find((mail) => recipientsOf(mail)[0] === email)!, '/s/');
  }

  async function csvOf(): Promise<string> {
    return (await browser.get(`/rounds/${roundId}/report.csv`)).text;
  }

  it('holds back one late answer: the report, its exports and a new release keep version 1', async () => {
    const first = (await clientMails()).at(-1)!;
    const before = await csvOf();
    const warning = await browser.get(`/rounds/${roundId}/reopen`);
    expect(warning.text).toContain('Late answers are held back');
    await browser.post(`/rounds/${roundId}/reopen`, { deadlineDay: '2026-03-30' });
    const roundPage = await browser.get(`/rounds/${roundId}`);
    expect(roundPage.text).toContain('Version 1 of the report stays as it is while the round is open again');
    await answerSurvey(context.browser(), await addLatePeer('late.peer.1@example.com'), () => 3, { q1: 'a late comment' });

    const page = await browser.get(`/rounds/${roundId}/report`);
    expect(page.text).toContain('1 late answer is held back: version 1 does not include it.');
    expect(page.text).toContain('once at least 3 late answers from anonymous raters have come in');
    expect(page.text).not.toContain('a late comment');
    expect(await csvOf()).toBe(before);
    await browser.post(`/rounds/${roundId}/close`);
    expect(await csvOf()).toBe(before);

    expect((await browser.post(`/rounds/${roundId}/release`, { note: 'Same figures, a new note.' })).status).toBe(303);
    const second = (await clientMails()).at(-1)!;
    expect(second.subject).toBe('An updated version of your 360 feedback report is ready');
    expect((await context.browser().get(linkIn(first, '/r/'))).status).toBe(404);
    const current = await context.browser().get(linkIn(second, '/r/'));
    expect(current.status).toBe(200);
    expect(current.text).toContain('(version 2)');
    expect(current.text).not.toContain('a late comment');
    const releases = await context.db.selectFrom('report_releases').select(['version', 'report_version', 'superseded_at']).where('round_id', '=', roundId).orderBy('version').execute();
    expect(releases.map((row) => [row.version, row.report_version])).toEqual([[1, 1], [2, 1]]);
    expect(releases[1]!.superseded_at).toBeNull();
  });

  it('publishes version 2 once three late answers can join together, and a release then shows it', async () => {
    await browser.post(`/rounds/${roundId}/reopen`, { deadlineDay: '2026-03-30' });
    await answerSurvey(context.browser(), await addLatePeer('late.peer.2@example.com'), () => 3);
    expect((await browser.get(`/rounds/${roundId}/report`)).text).toContain('2 late answers are held back');
    await answerSurvey(context.browser(), await addLatePeer('late.peer.3@example.com'), () => 3);
    const page = await browser.get(`/rounds/${roundId}/report`);
    expect(page.text).toContain('version 2, published');
    expect(page.text).not.toContain('held back');
    expect(page.text).toContain('a late comment');
    await browser.post(`/rounds/${roundId}/close`);
    expect((await browser.post(`/rounds/${roundId}/release`, { note: 'With three more answers.' })).status).toBe(303);
    const releases = await context.db.selectFrom('report_releases').select(['version', 'report_version']).where('round_id', '=', roundId).orderBy('version').execute();
    expect(releases.map((row) => [row.version, row.report_version])).toEqual([[1, 1], [2, 1], [3, 2]]);
  });

  it('expires the client link after the configured days', async () => {
    const link = linkIn((await clientMails()).at(-1)!, '/r/');
    context.clock.advanceDays(89);
    expect((await context.browser().get(link)).status).toBe(200);
    context.clock.advanceDays(2);
    expect((await context.browser().get(link)).status).toBe(404);
  });
});
