import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium, screenshot, seriousAccessibilityViolations } from '../helpers/chromium';
import { startLiveServer, type LiveServer } from '../helpers/live-server';
import { deliverOutbox, linkIn, readEmlOutbox, recipientsOf } from '../helpers/mail';
import { createRoundWithRaters, launch } from '../helpers/rounds';
import { TEST_PASSWORD, createCoach } from '../helpers/test-app';

describe('a rater answers in a real browser, with the keyboard only', () => {
  let server: LiveServer;
  let browser: Browser;
  let link: string;
  let roundId: string;
  let coachEmail: string;

  beforeAll(async () => {
    server = await startLiveServer('sqlite');
    browser = await launchChromium();
    const coach = await createCoach(server.context, { name: 'Pat Coach' });
    coachEmail = coach.email;
    const { round } = await createRoundWithRaters(server.context, coach, { manager: 1, peers: 3 }, { message: 'Thank you for your time – be candid.' });
    roundId = round.id;
    await launch(server.context, coach, round.id);
    await deliverOutbox(server.context);
    const mail = (await readEmlOutbox(server.context)).find((message) => recipientsOf(message)[0]!.startsWith('peers-1'))!;
    link = `${server.url}${linkIn(mail, '/s/')}`;
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('saves, comes back, submits, and passes axe; readable at 360 px', async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 780 } });
    await page.goto(link);
    expect(await page.locator('h1').textContent()).toBe('Feedback for Jordan Lee');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'survey-360px-top', false);

    // Tab into the first rating group, then: arrows choose within a group, Tab moves to the next.
    for (let step = 0; step < 10 && (await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)) !== 'r.c1i1'; step += 1) {
      await page.keyboard.press('Tab');
    }
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).name)).toBe('r.c1i1');
    for (let item = 0; item < 20; item += 1) {
      await page.keyboard.press('Space'); // checks "Strongly disagree"
      for (let step = 0; step < item % 5; step += 1) await page.keyboard.press('ArrowRight');
      await page.keyboard.press('Tab');
    }
    expect(await page.locator('[data-answered]').textContent()).toBe('20');
    // Save and continue later, by keyboard.
    await page.getByRole('button', { name: 'Save and continue later' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('text=Your answers are saved');
    expect(await page.locator('main').textContent()).toContain('20 answers are saved');

    // Come back later with the same link: the 20 answers are there.
    const later = await browser.newPage({ viewport: { width: 360, height: 780 } });
    await later.goto(link);
    expect(await later.locator('[data-answered]').textContent()).toBe('20');
    expect(await later.locator('input[name="r.c1i3"][value="3"]').isChecked()).toBe(true);
    await later.locator('input[name="r.c5i1"]').first().focus();
    for (let item = 20; item < 40; item += 1) {
      await later.keyboard.press('Space');
      for (let step = 0; step < 5; step += 1) await later.keyboard.press('ArrowRight'); // to "Not able to rate"
      await later.keyboard.press('Tab');
    }
    expect(await later.evaluate(() => (document.activeElement as HTMLTextAreaElement).name)).toBe('c.q1');
    await later.keyboard.type('Listens well; could delegate more.');
    expect(await later.locator('input[name="r.c8i5"][value="na"]').isChecked()).toBe(true);
    expect(await later.locator('[data-answered]').textContent()).toBe('40');
    await later.getByRole('button', { name: 'Submit' }).focus();
    await later.keyboard.press('Enter');
    await later.waitForSelector('text=Thank you');
    await screenshot(later, 'survey-360px-thanks', false);

    const responses = await server.context.db.selectFrom('responses').select('answers').execute();
    expect(responses).toHaveLength(1);
    const answers = JSON.parse(responses[0]!.answers) as { ratings: Record<string, number | null>; comments: Record<string, string> };
    expect(answers.ratings.c1i1).toBe(1);
    expect(answers.ratings.c1i5).toBe(5);
    expect(answers.ratings.c8i5).toBeNull();
    expect(Object.keys(answers.ratings)).toHaveLength(40);
    expect(answers.comments.q1).toBe('Listens well; could delegate more.');
  }, 120_000);

  it('shows a clear summary and focuses the first missing answer when submitted incomplete, without our script', async () => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 800 } });
    const page = await context.newPage();
    // The page must work with no enhancement at all: the survey script is never delivered.
    let scriptRequests = 0;
    await page.route('**/static/survey.js*', (route) => {
      scriptRequests += 1;
      return route.abort();
    });
    const mail = (await readEmlOutbox(server.context)).find((message) => recipientsOf(message)[0]!.startsWith('peers-2'))!;
    await page.goto(`${server.url}${linkIn(mail, '/s/')}`);
    await page.locator('input[name="r.c1i1"][value="4"]').check();
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.waitForSelector('text=39 answers need your attention');
    expect(scriptRequests).toBeGreaterThan(0);
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).name)).toBe('r.c1i2');
    expect(await page.locator('input[name="r.c1i1"][value="4"]').isChecked()).toBe(true);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'survey-errors', false);
    await context.close();
  }, 60_000);

  it('shows the coach the progress of the round', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
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
