import type { ParsedMail } from 'mailparser';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshot, seriousAccessibilityViolations } from '../helpers/chromium';
import { startLiveServer, type LiveServer } from '../helpers/live-server';
import { deliverOutbox, linkIn, readEmlOutbox } from '../helpers/mail';
import { answerSurvey, launch } from '../helpers/rounds';
import { createCoach } from '../helpers/test-app';
import { MORGAN, ROBIN, mailsTo, portalEntries, roundsSharingRaters } from './practice';

const PHONE = { width: 360, height: 780 };
const DESKTOP = { width: 1280, height: 900 };

/** The portal page and the email that brings it, in a real browser, on a phone and on a desktop. */
describe('the rater portal in a browser', () => {
  let server: LiveServer;
  let browser: Browser;
  let robinsMail: ParsedMail;
  let portal = '';

  beforeAll(async () => {
    server = await startLiveServer('sqlite');
    browser = await launchChromium();
    const coach = await createCoach(server.context, { name: 'Sam Carter' });
    const rounds = await roundsSharingRaters(server.context, coach, [`${MORGAN.email},${MORGAN.name},manager`, `${ROBIN.email},${ROBIN.name},peers`], { peers: 2 });
    for (const round of rounds) await launch(server.context, coach, round.id);
    server.context.clock.advanceMinutes(5);
    await deliverOutbox(server.context);
    robinsMail = mailsTo(await readEmlOutbox(server.context), ROBIN.email)[0]!;
    portal = linkIn(robinsMail, '/p/');
    // One survey answered and one with a draft, so the page shows each state (posted as from the live server's pages).
    const http = server.context.browser();
    const rater = { get: (path: string) => http.get(path), post: (path: string, fields: Record<string, string>) => http.post(path, fields, { origin: server.url }) };
    const entries = portalEntries((await http.get(portal)).text);
    expect((await answerSurvey(rater, entries[0]!.href!)).status).toBe(200);
    expect((await answerSurvey(rater, entries[1]!.href!, () => 4, {}, 'save')).status).toBe(200);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

  for (const [name, viewport] of [
    ['360px', PHONE],
    ['1280px', DESKTOP],
  ] as const) {
    it(`shows each survey with its state and button at ${name}, without sideways scrolling or serious accessibility problems`, async () => {
      const page = await browser.newPage({ viewport });
      await page.goto(`${server.url}${portal}`);
      expect(await page.locator('h1').textContent()).toBe('Your feedback surveys for Sam Carter');
      expect(await page.locator('.portal-status').allTextContents()).toEqual(['Submitted', 'Draft saved', 'Not started']);
      expect(await page.getByRole('link', { name: /^Continue/ }).count()).toBe(1);
      expect(await page.getByRole('link', { name: /^Start/ }).count()).toBe(1);
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      for (const button of await page.locator('.portal-action .btn').all()) {
        const box = (await button.boundingBox())!;
        expect(box.x + box.width).toBeLessThanOrEqual(viewport.width);
      }
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await screenshot(page, `portal-${name}`);
      // The button opens the survey; Back shows the page as it is now (it is never cached).
      await page.getByRole('link', { name: /^Start/ }).click();
      expect(await page.locator('h1').textContent()).toMatch(/^Feedback for /);
      await page.goBack();
      expect(await page.locator('.portal-status').count()).toBe(3);
      await page.close();
    });

    it(`reads the email that brings the link at ${name}`, async () => {
      const page = await browser.newPage({ viewport });
      await page.setContent(robinsMail.html || '');
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      expect(await page.getByRole('link', { name: 'See your surveys' }).getAttribute('href')).toBe(`${server.url}${portal}`);
      await screenshot(page, `portal-email-${name}`);
      await page.close();
    });
  }
});
