import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { mailContext } from '../../server/http/mail-context';
import { addRaterList } from '../../server/rounds/invitations.service';
import { launchChromium, seriousAccessibilityViolations } from '../helpers/chromium';
import { startLiveServer, type LiveServer } from '../helpers/live-server';
import { deliverOutbox, linkIn, readEmlOutbox, recipientsOf } from '../helpers/mail';
import { createRoundWithRaters, launch } from '../helpers/rounds';
import { createCoach } from '../helpers/test-app';

const PHONE = { width: 360, height: 780 };
/** Screenshots for the lead to look at (issue 17: the survey in French and German at 360 px). */
const SHOTS = '/tmp/shots/B';

describe('switching the survey language in a real browser', () => {
  let server: LiveServer;
  let browser: Browser;
  const links = new Map<string, string>();

  beforeAll(async () => {
    server = await startLiveServer('sqlite');
    browser = await launchChromium();
    const coach = await createCoach(server.context, { name: 'Sam Carter' });
    const { round } = await createRoundWithRaters(server.context, coach, { manager: 1, peers: 3 }, { message: 'Merci / Danke / Thank you – be candid.' });
    const added = await addRaterList(server.context.db, mailContext(server.context.deps), coach.id, round.id, ['claire@example.com,Claire,others,fr', 'dieter@example.com,Dieter,others,de'].join('\n'));
    expect(added.errors).toEqual([]);
    await launch(server.context, coach, round.id);
    await deliverOutbox(server.context);
    for (const mail of await readEmlOutbox(server.context)) links.set(recipientsOf(mail)[0]!, `${server.url}${linkIn(mail, '/s/')}`);
    fs.mkdirSync(SHOTS, { recursive: true });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const linkOf = (prefix: string) => [...links].find(([email]) => email.startsWith(prefix))![1];
  const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  /** The elements that reach past the page's right edge (a long word that does not wrap), by their text. */
  const widerThanPage = (page: Page) =>
    page.evaluate(() =>
      [...document.querySelectorAll('body *')]
        .filter((node) => node.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5 && node.children.length === 0)
        .map((node) => `${node.tagName} ${(node.textContent ?? '').trim().slice(0, 60)}`),
    );

  it('without JavaScript: answers some statements, switches to French, and finds the answers kept and the page in French', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: PHONE });
    const page = await context.newPage();
    await page.goto(linkOf('peers-1'));
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.locator('h1').textContent()).toBe('Feedback for Jordan Lee');
    // The one-page form: every statement on the page.
    await page.locator('input[name="r.c1i1"][value="4"]').check();
    await page.locator('input[name="r.c1i2"][value="na"]').check();
    await page.locator('input[name="r.c8i5"][value="2"]').check();
    await page.locator('textarea').first().fill('Listens well; could delegate more.');
    await page.getByRole('button', { name: 'Français' }).click();

    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    expect(await page.locator('h1').textContent()).toBe('Feedback pour Jordan Lee');
    expect(await page.getByRole('button', { name: 'Envoyer' }).count()).toBe(1);
    expect(await page.locator('input[name="r.c1i1"][value="4"]').isChecked()).toBe(true);
    expect(await page.locator('input[name="r.c1i2"][value="na"]').isChecked()).toBe(true);
    expect(await page.locator('input[name="r.c8i5"][value="2"]').isChecked()).toBe(true);
    expect(await page.locator('textarea').first().inputValue()).toBe('Listens well; could delegate more.');
    expect(await page.locator('[data-answered]').textContent()).toBe('3');

    // Remembered for the invitation: the link opens in French from now on, with the draft.
    await page.goto(linkOf('peers-1'));
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    expect(await page.locator('input[name="r.c1i1"][value="4"]').isChecked()).toBe(true);
    await context.close();
  });

  it('with JavaScript, step by step: the switch keeps the answers of every step and the steps speak the new language', async () => {
    const page = await browser.newPage({ viewport: PHONE });
    await page.goto(linkOf('peers-2'));
    expect(await page.locator('.stepper-count').textContent()).toBe('Competency 1 of 8');
    const statements = page.locator('[data-step]:visible fieldset');
    for (let index = 0; index < (await statements.count()); index += 1) await statements.nth(index).locator('input').nth(index % 5).check();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.locator('[data-step]:visible fieldset').first().locator('input').nth(2).check();
    await page.getByRole('button', { name: 'Deutsch' }).click();
    await page.waitForURL(/\/s\//);
    expect(await page.getAttribute('html', 'lang')).toBe('de');
    expect(await page.locator('h1').textContent()).toBe('Feedback für Jordan Lee');
    // Back where the first unanswered statement is, in German.
    expect(await page.locator('.stepper-count').textContent()).toBe('Kompetenz 2 von 8');
    expect(await page.locator('[data-answered]').textContent()).toBe(String((await page.locator('input[type=radio]:checked').count())));
    expect(await page.locator('input[type=radio]:checked').count()).toBeGreaterThanOrEqual(6);
    expect(await widerThanPage(page)).toEqual([]);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await page.close();
  });

  for (const [rater, language] of [
    ['claire', 'fr'],
    ['dieter', 'de'],
  ] as const) {
    it(`shows the survey in ${language} at 360 px (and 1280), readable and with the warning before the comments`, async () => {
      const page = await browser.newPage({ viewport: PHONE });
      await page.goto(linkOf(rater));
      expect(await page.getAttribute('html', 'lang')).toBe(language);
      await page.screenshot({ path: path.join(SHOTS, `survey-${language}-360px-step1.png`), fullPage: true });
      expect(await widerThanPage(page)).toEqual([]);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      // The last step: the open questions with the warning (one rater reads this language, k = 3).
      // Next is the bar's second button (after Back), whatever its words.
      const next = page.locator('.bar button').nth(1);
      for (let step = 0; step < 8; step += 1) await next.click();
      await page.screenshot({ path: path.join(SHOTS, `survey-${language}-360px-open-questions.png`), fullPage: true });
      expect(await page.locator('.language-warning').isVisible()).toBe(true);
      await page.setViewportSize({ width: 1280, height: 900 });
      expect(await widerThanPage(page)).toEqual([]);
      await page.screenshot({ path: path.join(SHOTS, `survey-${language}-1280px-open-questions.png`) });
      await page.close();
    });
  }
});
