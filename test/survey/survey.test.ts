import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Coach } from '../../server/auth/coach';
import { newSecretToken } from '../../server/secrets';
import { DATABASE_KINDS } from '../helpers/databases';
import { deliverOutbox, linkIn, readEmlOutbox, recipientsOf } from '../helpers/mail';
import { ITEM_IDS, answerSurvey, createRoundWithRaters, launch, surveyItemIds } from '../helpers/rounds';
import { createCoach, createTestContext, signedInBrowser, type TestContext } from '../helpers/test-app';

describe.each(DATABASE_KINDS)('the rater survey (%s)', (kind) => {
  let context: TestContext;
  let coach: Coach;
  let links: Map<string, string>;
  let roundId: string;
  let mailsSeen = 0;

  beforeAll(async () => {
    context = await createTestContext(kind);
    coach = await createCoach(context, { name: 'Robin Coach', email: 'robin@example.com' });
  });
  afterAll(() => context.close());

  /** A fresh open round with a few raters; `links` maps the rater's email to their survey path. */
  async function openRound(raters: Record<string, number> = { manager: 1, peers: 3 }) {
    const { round } = await createRoundWithRaters(context, coach, raters);
    roundId = round.id;
    await launch(context, coach, round.id);
    await deliverOutbox(context);
    const all = await readEmlOutbox(context);
    const mails = all.slice(mailsSeen).filter((mail) => (mail.text ?? '').includes('/s/'));
    mailsSeen = all.length;
    links = new Map(mails.map((mail) => [recipientsOf(mail)[0]!, linkIn(mail, '/s/')]));
  }
  const peerLink = () => [...links].find(([email]) => email.startsWith('peers-1'))![1];
  const responsesOfRound = async () => context.db.selectFrom('responses').select('answers').where('round_id', '=', roundId).execute();

  beforeEach(() => openRound());

  it('shows the intro, every item with the scale and N/A, the open questions and the progress', async () => {
    const page = await context.browser().get(peerLink());
    expect(page.status).toBe(200);
    expect(page.text).toContain('Feedback for Jordan Lee');
    expect(page.text).toContain('Thank you for helping Jordan grow.');
    expect(page.text).toContain('16 Mar 2026');
    expect(page.text).toContain('only ever shown combined with those of at least 2 other people');
    expect(surveyItemIds(page.text)).toEqual(ITEM_IDS);
    expect(page.text).toContain('Not able to rate');
    expect(page.text).toContain('Strongly agree');
    expect(page.text).toContain('<legend>Listens attentively without interrupting.</legend>');
    expect(page.text).toContain('name="c.q1"');
    expect(page.text).toContain('<span data-answered>0</span> of 40 answered');
    // What static/survey.js needs to show one competency per step and estimate the time left.
    expect(page.text).toMatch(/<form [^>]*data-seconds-per-rating="15" data-seconds-per-question="45" data-stepped/);
    expect(page.text.match(/<section class="card" data-step aria-labelledby="h-c\d"/g)).toHaveLength(8);
    expect(page.text).toContain('<section class="card" data-step="open" aria-labelledby="h-open">');
    const invitation = await context.db.selectFrom('invitations').selectAll().where('email', 'like', 'peers-1%').where('round_id', '=', roundId).executeTakeFirstOrThrow();
    expect(invitation.status).toBe('opened');
    expect(invitation.status_on).toBe('2026-03-02');
  });

  it('keeps a draft, brings it back on the next visit and deletes it on submission', async () => {
    const browser = context.browser();
    const saved = await answerSurvey(browser, peerLink(), (_id, index) => (index < 10 ? 4 : 'na'), { q2: 'Half done' }, 'save');
    expect(saved.status).toBe(200);
    expect(saved.text).toContain('40 answers are saved');
    const again = await context.browser().get(peerLink());
    expect(again.text).toContain('<span data-answered>40</span> of 40 answered');
    expect(again.text).toMatch(/name="r\.c1i1" value="4" checked/);
    expect(again.text).toMatch(/name="r\.c3i1" value="na" checked/);
    expect(again.text).toContain('>Half done</textarea>');
    await answerSurvey(context.browser(), peerLink());
    expect(await context.db.selectFrom('drafts').selectAll().execute()).toEqual([]);
  });

  it("never shows one rater's answers or errors on another rater's page (the blank form is shared per round)", async () => {
    const linkOf = (prefix: string) => [...links].find(([email]) => email.startsWith(prefix))![1];
    const isBlank = (html: string) => !/ checked|autofocus|class="q invalid"/.test(html) && html.includes('<span data-answered>0</span> of 40 answered');
    expect(isBlank((await context.browser().get(linkOf('peers-1'))).text)).toBe(true);
    await answerSurvey(context.browser(), linkOf('peers-2'), () => 5, { q1: 'Private draft' }, 'save');
    const invalid = await context.browser().post(linkOf('peers-3'), { intent: 'submit', 'r.c1i1': '4' });
    expect(invalid.status).toBe(422);
    const again = await context.browser().get(linkOf('peers-1'));
    expect(isBlank(again.text)).toBe(true);
    expect(again.text).not.toContain('Private draft');
    expect(surveyItemIds(again.text)).toEqual(ITEM_IDS);
    expect((await context.browser().get(linkOf('peers-2'))).text).toMatch(/name="r\.c1i1" value="5" checked/);
  });

  it("gives each rater of a group the page the others get but for their own link and CSRF token, and shows a moved deadline at once", async () => {
    const linkOf = (prefix: string) => [...links].find(([email]) => email.startsWith(prefix))![1];
    const open = async (prefix: string) => {
      const browser = context.browser();
      const page = await browser.get(linkOf(prefix));
      return { page: page.text, token: linkOf(prefix).split('/s/')[1]!, csrf: browser.cookies.get('csrf')! };
    };
    const first = await open('peers-1');
    const second = await open('peers-2');
    expect(first.page).toContain(`action="/s/${first.token}"`);
    expect(first.page).toContain(`value="${first.csrf}"`);
    expect(second.page).toContain(`action="/s/${second.token}"`);
    expect(second.page).toContain(`value="${second.csrf}"`);
    expect(second.page).not.toContain(first.token);
    expect(second.page).not.toContain(first.csrf);
    const withoutOwn = (opened: { page: string; token: string; csrf: string }) => opened.page.replaceAll(opened.token, 'TOKEN').replaceAll(opened.csrf, 'CSRF');
    expect(withoutOwn(second)).toBe(withoutOwn(first));
    // Another group's page has its own promise.
    const manager = await open('manager-1');
    expect(manager.page).not.toContain('only ever shown combined with those of at least 2 other people');
    expect(first.page).toContain('only ever shown combined with those of at least 2 other people');

    const coachBrowser = await signedInBrowser(context, coach);
    const moved = await coachBrowser.post(`/rounds/${roundId}/deadline`, { deadlineDay: '2026-03-25' });
    expect(moved.status).toBe(303);
    // A browser with a flash message still pending (the coach's, opening a link) gets the page rendered for it, with its link.
    expect(coachBrowser.cookies.has('flash')).toBe(true);
    const withFlash = await coachBrowser.get(linkOf('peers-3'));
    expect(withFlash.text).toContain(`action="/s/${linkOf('peers-3').split('/s/')[1]}"`);
    for (const prefix of ['peers-1', 'peers-3']) {
      const again = await open(prefix);
      expect(again.page).toContain('25 Mar 2026');
      expect(again.page).not.toContain('16 Mar 2026');
    }
  });

  it('autosaves through the script endpoint with the same validation', async () => {
    const browser = context.browser();
    await browser.get(peerLink());
    const saved = await browser.post(`${peerLink()}/draft`, { 'r.c1i1': '5', 'r.c1i2': 'na' });
    expect(saved.status).toBe(200);
    expect(JSON.parse(saved.text)).toEqual({ saved: true, answered: 2 });
    const invalid = await browser.post(`${peerLink()}/draft`, { 'r.c1i1': '6' });
    expect(invalid.status).toBe(422);
  });

  it('asks for every item, keeps the answers, and points to the first missing one', async () => {
    const browser = context.browser();
    const page = await browser.get(peerLink());
    const fields: Record<string, string> = { intent: 'submit', notice: 'read', 'c.q1': 'Kept comment' };
    surveyItemIds(page.text).slice(0, 37).forEach((id) => (fields[`r.${id}`] = '2'));
    const response = await browser.post(peerLink(), fields);
    expect(response.status).toBe(422);
    expect(response.text).toContain('3 answers need your attention');
    expect(response.text).toContain('Please answer this statement, or choose “Not able to rate”.');
    expect(response.text).toContain('href="#q-c8i3"');
    expect(response.text).toMatch(/id="q-c8i3"[^]*?value="1" autofocus/);
    expect(response.text).toMatch(/name="r\.c1i1" value="2" checked/);
    expect(response.text).toContain('>Kept comment</textarea>');
    expect(await responsesOfRound()).toHaveLength(0);
  });

  it('refuses out-of-range values with a message, and unknown items outright', async () => {
    const browser = context.browser();
    for (const value of ['0', '6', '-1', '3.5', 'five', '']) {
      const response = await answerSurvey(browser, peerLink(), (id) => (id === 'c2i2' ? (value as unknown as number) : 3));
      expect(response.status, value).toBe(422);
      expect(response.text).toContain('Choose one of the options.');
    }
    const unknown = await browser.post(peerLink(), { intent: 'submit', 'r.not-an-item': '3' });
    expect(unknown.status).toBe(400);
    const unknownComment = await browser.post(peerLink(), { intent: 'submit', 'c.q99': 'x' });
    expect(unknownComment.status).toBe(400);
    expect(await responsesOfRound()).toHaveLength(0);
  });

  it('limits comments to 5,000 characters with a message and keeps the text', async () => {
    const response = await answerSurvey(context.browser(), peerLink(), () => 3, { q1: 'a'.repeat(5001) });
    expect(response.status).toBe(422);
    expect(response.text).toContain('Your comment is 5,001 characters long; please shorten it to 5,000.');
    expect(response.text).toContain('a'.repeat(5001));
    const fine = await answerSurvey(context.browser(), peerLink(), () => 3, { q1: 'a'.repeat(5000) });
    expect(fine.status).toBe(200);
  });

  it('stores exactly one response for a double or concurrent submission', async () => {
    const browser = context.browser();
    const page = await browser.get(peerLink());
    const fields: Record<string, string> = { intent: 'submit', notice: 'read' };
    for (const id of surveyItemIds(page.text)) fields[`r.${id}`] = '4';
    const [first, second, third] = await Promise.all([browser.post(peerLink(), fields), browser.post(peerLink(), fields), browser.post(peerLink(), fields)]);
    expect([first!.status, second!.status, third!.status].sort()).toEqual([200, 409, 409]);
    expect(await responsesOfRound()).toHaveLength(1);
    const again = await browser.post(peerLink(), fields);
    expect(again.status).toBe(409);
    expect(again.text).toContain('Already submitted');
    const revisit = await context.browser().get(peerLink());
    expect(revisit.text).toContain('Already submitted');
    expect(revisit.text).not.toContain('name="r.');
  });

  it('refuses submissions after the deadline, even before the round is closed by the scheduler', async () => {
    const browser = context.browser();
    const page = await browser.get(peerLink());
    const fields: Record<string, string> = { intent: 'submit', notice: 'read' };
    for (const id of surveyItemIds(page.text)) fields[`r.${id}`] = '3';
    context.clock.set('2026-03-17T00:00:00.000Z');
    try {
      const late = await browser.post(peerLink(), fields);
      expect(late.status).toBe(409);
      expect(late.text).toContain('This round has closed');
      expect((await context.browser().get(peerLink())).text).toContain('This round has closed');
      expect(await responsesOfRound()).toHaveLength(0);
    } finally {
      context.clock.set('2026-03-02T09:00:00.000Z');
    }
  });

  it('lets a rater decline with a reason only the coach sees, attributed', async () => {
    const browser = context.browser();
    expect((await browser.get(`${peerLink()}/decline`)).status).toBe(200);
    const tooLong = await browser.post(`${peerLink()}/decline`, { reason: 'x'.repeat(1001) });
    expect(tooLong.status).toBe(422);
    const declined = await browser.post(`${peerLink()}/decline`, { reason: 'I joined the team last week.' });
    expect(declined.status).toBe(200);
    expect(declined.text).toContain('Thank you for letting us know');
    expect((await context.browser().get(peerLink())).text).toContain('You have declined');
    const coachPage = await (await signedInBrowser(context, coach)).get(`/rounds/${roundId}`);
    expect(coachPage.text).toMatch(/peers rater 1[\s\S]*?Declined[\s\S]*?I joined the team last week\./);
  });

  it('answers unknown, malformed and made-up links with the same 404 page, then rate-limits the address', async () => {
    const bodies = new Set<string>();
    for (const token of [newSecretToken().token, 'short', 'x'.repeat(43), '%00', encodeURIComponent('<script>')]) {
      const response = await context.browser().get(`/s/${token}`);
      expect(response.status).toBe(404);
      bodies.add(response.text.replace(/name="_csrf" value="[^"]+"/g, ''));
    }
    expect(bodies.size).toBe(1);
    for (let miss = 0; miss < 30; miss += 1) await context.browser().get(`/s/${newSecretToken().token}`);
    const limited = await context.browser().get(`/s/${newSecretToken().token}`);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
    // Valid links from the same address are refused too while the limit lasts.
    expect((await context.browser().get(peerLink())).status).toBe(429);
    context.clock.advanceMinutes(11);
    expect((await context.browser().get(peerLink())).status).toBe(200);
  });
});
