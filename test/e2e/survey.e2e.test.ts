import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, screenshot, seriousAccessibilityViolations } from '../helpers/chromium';
import { startLiveServer, type LiveServer } from '../helpers/live-server';
import { deliverOutbox, linkIn, readEmlOutbox, recipientsOf } from '../helpers/mail';
import { createRoundWithRaters, launch } from '../helpers/rounds';
import { TEST_PASSWORD, createCoach } from '../helpers/test-app';

const PHONE = { width: 360, height: 780 };
const DESKTOP = { width: 1280, height: 900 };

describe('a rater answers in a real browser, one competency at a time', () => {
  let server: LiveServer;
  let browser: Browser;
  let roundId: string;
  let coachEmail: string;
  const links = new Map<string, string>();
  /** The survey link of the first rater whose email starts with `prefix`. */
  const linkOf = (prefix: string) => [...links].find(([email]) => email.startsWith(prefix))![1];

  beforeAll(async () => {
    server = await startLiveServer('sqlite');
    browser = await launchChromium();
    const coach = await createCoach(server.context, { name: 'Pat Coach' });
    coachEmail = coach.email;
    const { round } = await createRoundWithRaters(server.context, coach, { manager: 1, peers: 5 }, { message: 'Thank you for your time – be candid.' });
    roundId = round.id;
    await launch(server.context, coach, round.id);
    await deliverOutbox(server.context);
    for (const mail of await readEmlOutbox(server.context)) links.set(recipientsOf(mail)[0]!, `${server.url}${linkIn(mail, '/s/')}`);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const stepCount = (page: Page) => page.locator('.stepper-count').textContent();
  const timeLeft = (page: Page) => page.locator('.stepper-left').textContent();
  const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id || (document.activeElement as HTMLInputElement | null)?.name);
  const visibleSteps = (page: Page) => page.locator('[data-step]:visible');
  const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

  /** Checks an option in every statement of the step on screen: the n-th option of the i-th statement, by `choose(i)`. */
  async function answerVisibleStep(page: Page, choose: (index: number) => number) {
    const statements = page.locator('[data-step]:visible fieldset');
    for (let index = 0; index < (await statements.count()); index += 1) await statements.nth(index).locator('input').nth(choose(index)).check();
  }

  async function waitUntilSaved(page: Page) {
    await page.waitForFunction(() => document.getElementById('progress')?.textContent?.endsWith('· saved'));
  }

  it('steps through by keyboard at 360 px: progress and time left, Next saves, a reload resumes, Back, review, submit', async () => {
    const page = await browser.newPage({ viewport: PHONE });
    // The page's clock stands still, so the autosave timer never fires: whatever a reload brings
    // back was saved by Next (or Back, or Enter).
    await page.clock.install({ time: new Date('2026-03-02T09:00:00Z') });
    await page.clock.pauseAt(new Date('2026-03-02T09:00:01Z'));
    await page.goto(linkOf('peers-1'));
    expect(await page.locator('h1').textContent()).toBe('Feedback for Jordan Lee');
    expect(await stepCount(page)).toBe('Competency 1 of 8');
    expect(await timeLeft(page)).toBe('About 10 minutes left'); // as the invitation said
    expect(await visibleSteps(page).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Submit' }).isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Back' }).isVisible()).toBe(false);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'survey-step-1-360px', false);

    // Keyboard only: Tab into the first statement; Space chooses, arrows move within a statement,
    // Tab goes on to the next statement and, after the last, to Next.
    for (let step = 0; step < 10 && (await focusedId(page)) !== 'r.c1i1'; step += 1) await page.keyboard.press('Tab');
    expect(await focusedId(page)).toBe('r.c1i1');
    for (let item = 0; item < 5; item += 1) {
      await page.keyboard.press('Space');
      for (let move = 0; move < item; move += 1) await page.keyboard.press('ArrowRight');
      await page.keyboard.press('Tab');
    }
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Next');
    await page.keyboard.press('Enter');
    expect(await focusedId(page)).toBe('h-c2');
    expect(await page.locator('#h-c2').textContent()).toBe('Decision making');
    expect(await stepCount(page)).toBe('Competency 2 of 8');
    expect(await visibleSteps(page).count()).toBe(1);
    expect(await page.locator('h1').isVisible()).toBe(false); // the introduction belongs to the first step
    await waitUntilSaved(page);

    // Enter in a statement moves on as Next does, and saves.
    await answerVisibleStep(page, () => 3);
    await page.locator('input[name="r.c2i5"][value="4"]').press('Enter');
    expect(await stepCount(page)).toBe('Competency 3 of 8');
    await waitUntilSaved(page);
    await screenshot(page, 'survey-step-3-360px', false);
    expect(await overflow(page)).toBeLessThanOrEqual(0);

    // A reload comes back to the first step with something left, with every saved answer.
    await page.reload();
    expect(await stepCount(page)).toBe('Competency 3 of 8');
    expect(await page.locator('[data-answered]').textContent()).toBe('10');
    expect(await page.locator('input[name="r.c1i3"][value="3"]').isChecked()).toBe(true);
    expect(await page.locator('input[name="r.c2i4"][value="4"]').isChecked()).toBe(true);

    await page.getByRole('button', { name: 'Back' }).click();
    expect(await stepCount(page)).toBe('Competency 2 of 8');
    expect(await focusedId(page)).toBe('h-c2');
    expect(await page.locator('input[name="r.c2i1"][value="4"]').isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Next' }).click();

    // The time left follows the statements still to answer (15 s each) and the open questions (45 s each).
    const minutesLeft: Record<number, string> = { 3: 'About 10 minutes left', 4: 'About 9 minutes left', 8: 'About 4 minutes left' };
    for (let step = 3; step <= 8; step += 1) {
      expect(await stepCount(page)).toBe(`Competency ${step} of 8`);
      if (minutesLeft[step]) expect(await timeLeft(page)).toBe(minutesLeft[step]);
      await answerVisibleStep(page, (index) => (index === 4 ? 5 : index)); // the last statement: "Not able to rate"
      await page.getByRole('button', { name: 'Next' }).click();
    }
    expect(await stepCount(page)).toBe('Optional questions');
    expect(await focusedId(page)).toBe('h-open');
    expect(await timeLeft(page)).toBe('About 3 minutes left');
    await page.getByLabel('What does this person do particularly well').fill('Listens well; could delegate more.');
    await page.getByRole('button', { name: 'Review' }).click();

    expect(await stepCount(page)).toBe('Last step');
    expect(await focusedId(page)).toBe('h-review');
    expect(await page.locator('.review-summary').textContent()).toBe('You have answered all 40 statements.');
    expect(await page.locator('.review-list li').allTextContents()).toContain('In your own words1 of 3 written (optional)');
    await page.clock.resume(); // axe waits on timers
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'survey-review-360px', false);
    await page.locator('#notice').check();

    await page.getByRole('button', { name: 'Submit' }).click();
    await page.waitForSelector('text=Thank you');

    const responses = await server.context.db.selectFrom('responses').select('answers').where('round_id', '=', roundId).execute();
    expect(responses).toHaveLength(1);
    const answers = JSON.parse(responses[0]!.answers) as { ratings: Record<string, number | null>; comments: Record<string, string> };
    expect(Object.keys(answers.ratings)).toHaveLength(40);
    expect(answers.ratings.c1i1).toBe(1);
    expect(answers.ratings.c1i5).toBe(5);
    expect(answers.ratings.c2i5).toBe(4);
    expect(answers.ratings.c8i5).toBeNull();
    expect(answers.comments.q1).toBe('Listens well; could delegate more.');
  }, 120_000);

  it('brings answers the server refused back on their own step, with focus on the first, and the summary links open their steps', async () => {
    const page = await browser.newPage({ viewport: PHONE });
    await page.goto(linkOf('peers-2'));
    await answerVisibleStep(page, () => 2);
    for (let step = 0; step < 9; step += 1) await page.getByRole('button', { name: /^(Next|Review)$/ }).click();
    expect(await page.locator('.review-summary').textContent()).toContain('You have answered 5 of 40 statements.');
    expect(await page.locator('.review-list .todo').count()).toBe(7);
    await page.locator('#notice').check();

    await page.getByRole('button', { name: 'Submit' }).click();
    await page.waitForSelector('text=35 answers need your attention');
    expect(await stepCount(page)).toBe('Competency 2 of 8');
    expect(await focusedId(page)).toBe('r.c2i1');
    expect(await page.locator('input[name="r.c1i1"][value="3"]').isChecked()).toBe(true);
    await page.locator('.summary a[href="#q-c6i2"]').click();
    expect(await stepCount(page)).toBe('Competency 6 of 8');
    expect(await focusedId(page)).toBe('r.c6i2');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
  }, 60_000);

  it('passes axe at 360 and 1280 px, and shows the client a self-assessment of their own at both widths', async () => {
    const phone = await browser.newPage({ viewport: PHONE });
    await phone.goto(linkOf('peers-3'));
    expect(await seriousAccessibilityViolations(phone)).toEqual([]);
    const desktop = await browser.newPage({ viewport: DESKTOP });
    await desktop.goto(linkOf('peers-3'));
    await answerVisibleStep(desktop, (index) => index);
    await desktop.getByRole('button', { name: 'Next' }).click();
    expect(await seriousAccessibilityViolations(desktop)).toEqual([]);
    await screenshot(desktop, 'survey-step-2-1280px', false);

    for (const viewport of [PHONE, DESKTOP]) {
      const self = await browser.newPage({ viewport });
      await self.goto(linkOf('jordan.lee@'));
      expect(await self.locator('h1').textContent()).toBe('Your self-assessment');
      const text = (await self.locator('main').textContent())!;
      expect(text).not.toContain('be candid');
      expect(text).toContain('If a statement does not apply to your role');
      expect(await seriousAccessibilityViolations(self)).toEqual([]);
      expect(await overflow(self)).toBeLessThanOrEqual(0);
      await screenshot(self, `survey-self-${viewport.width}px`, false);
    }
  }, 60_000);

  it('keeps the one-page form without JavaScript: every question, one Submit, and it submits', async () => {
    const context = await browser.newContext({ viewport: PHONE, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(linkOf('peers-4'));
    expect(await page.locator('.stepper').count()).toBe(0);
    expect(await visibleSteps(page).count()).toBe(9); // 8 competencies and the open questions
    expect(await page.getByRole('button', { name: 'Save and continue later' }).isVisible()).toBe(true);
    const statements = page.locator('fieldset');
    expect(await statements.count()).toBe(40);
    for (let index = 0; index < 40; index += 1) await statements.nth(index).locator('input').nth(index % 6).check();
    await page.locator('#notice').check();

    await page.getByRole('button', { name: 'Submit' }).click();
    await page.waitForSelector('text=Thank you');
    expect(await server.context.db.selectFrom('responses').select('id').where('round_id', '=', roundId).execute()).toHaveLength(2);
    await context.close();
  }, 60_000);

  it('shows a clear summary and focuses the first missing answer when submitted incomplete, without our script', async () => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 800 } });
    const page = await context.newPage();
    // The page must work with no enhancement at all: the survey script is never delivered.
    let scriptRequests = 0;
    await page.route('**/static/survey.js*', (route) => {
      scriptRequests += 1;
      return route.abort();
    });
    await page.goto(linkOf('peers-5'));
    await page.locator('input[name="r.c1i1"][value="4"]').check();
    await page.locator('#notice').check();

    await page.getByRole('button', { name: 'Submit' }).click();
    await page.waitForSelector('text=39 answers need your attention');
    expect(scriptRequests).toBeGreaterThan(0);
    expect(await focusedId(page)).toBe('r.c1i2');
    expect(await page.locator('input[name="r.c1i1"][value="4"]').isChecked()).toBe(true);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'survey-errors', false);
    await context.close();
  }, 60_000);

  it('shows the coach the progress of the round', async () => {
    const page = await browser.newPage({ viewport: DESKTOP });
    await page.goto(`${server.url}/login`);
    await page.getByLabel('Email').fill(coachEmail);
    await page.getByLabel('Password').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/engagements/);
    await page.goto(`${server.url}/rounds/${roundId}`);
    expect(await page.locator('h1').textContent()).toContain('Baseline 360');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'round-coach-page');
  }, 60_000);
});
