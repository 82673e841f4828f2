import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ensureDemoData } from '../../server/demo/demo.service';
import { DEMO_PRACTICE } from '../../server/demo/demo-branding';
import { paletteOf } from '../../server/branding/palette';
import { SCREENSHOT_DIR, launchChromium, seriousAccessibilityViolations } from '../helpers/chromium';
import { startLiveServer, type LiveServer } from '../helpers/live-server';
import { pdfPages } from '../helpers/pdf';
import { signInAsDemoCoach } from '../helpers/demo-sign-in';

const PHONE = { width: 360, height: 780 };
const DESKTOP = { width: 1280, height: 900 };

/** Whether a page's text holds a phrase, spaces aside: pdf.js splits words at ligatures ("Whit fi eld"). */
function holds(pageText: string | undefined, phrase: string): boolean {
  const squeezed = (text: string) => text.replace(/\s+/g, '');
  return squeezed(pageText ?? '').includes(squeezed(phrase));
}

function rgb(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((start) => parseInt(hex.slice(start, start + 2), 16));
  return `rgb(${r}, ${g}, ${b})`;
}

/** The demo's practice look in a real browser: the admin page, the colours pages compute, and the printed report. */
describe('the practice look in chromium', () => {
  let server: LiveServer;
  let browser: Browser;
  let coach: BrowserContext;
  let reportPath: string;

  beforeAll(async () => {
    server = await startLiveServer('sqlite');
    await ensureDemoData(server.context.database, server.context.config, server.context.clock.now());
    const engagement = await server.context.db.selectFrom('engagements').select('id').where('client_name', '=', 'Alex Morgan').executeTakeFirstOrThrow();
    const baseline = await server.context.db.selectFrom('rounds').select('id').where('engagement_id', '=', engagement.id).where('purpose', '=', 'baseline').executeTakeFirstOrThrow();
    reportPath = `/rounds/${baseline.id}/report`;
    browser = await launchChromium();
    coach = await browser.newContext({ viewport: DESKTOP });
    const page = await coach.newPage();
    await signInAsDemoCoach(page, server.url);
    await page.close();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(pathname: string, viewport = DESKTOP): Promise<Page> {
    const page = await coach.newPage();
    await page.setViewportSize(viewport);
    await page.goto(`${server.url}${pathname}`);
    await page.waitForLoadState('load');
    return page;
  }

  it('gives the demo coach the administrator’s Practice look page, readable and axe-clean at 360 and 1280 px', async () => {
    for (const viewport of [DESKTOP, PHONE]) {
      const page = await open('/engagements', viewport);
      if (viewport === PHONE) await page.locator('header summary').click();
      await page.locator('header nav').getByRole('link', { name: 'Practice look' }).click();
      await page.waitForURL(/\/branding$/);
      expect(await page.getByLabel('Practice name').inputValue()).toBe(DEMO_PRACTICE.practiceName);
      expect(await page.locator('.branding-logo img').evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth > 0)).toBe(true);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
      await page.close();
    }
  }, 60_000);

  it('colours the pages with the accent’s readable shades, with no style the CSP refuses', async () => {
    const page = await open(reportPath);
    const refused: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) refused.push(message.text());
    });
    await page.reload();
    const palette = paletteOf(DEMO_PRACTICE.accentColour);
    const colours = await page.evaluate(() => ({
      bar: getComputedStyle(document.querySelector('header.topbar')!).backgroundColor,
      button: getComputedStyle(document.querySelector('main .btn-secondary')!).color,
      logo: (document.querySelector('header .brand-logo img') as HTMLImageElement).naturalWidth,
    }));
    expect(colours).toEqual({ bar: rgb(palette.brandDark), button: rgb(palette.brand), logo: 400 });
    expect(refused).toEqual([]);
    await page.close();
  }, 60_000);

  it('prints the report with a cover (practice, client, round, days, version) and a running header and page numbers on the pages after it', async () => {
    const page = await open(reportPath);
    await page.emulateMedia({ media: 'print' });
    const cover = page.locator('.print-cover');
    expect(await cover.isVisible()).toBe(true);
    const coverText = await cover.innerText();
    for (const expected of [DEMO_PRACTICE.practiceName, 'Alex Morgan', 'Head of Operations, Fabrikam Logistics', 'Baseline 360', 'Report version 1, published', 'Coach: Dana Whitfield']) {
      expect(coverText).toContain(expected);
    }
    expect(await cover.locator('tbody tr td').allInnerTexts()).toHaveLength(3);
    expect(await page.locator('style[nonce]').count()).toBe(1);

    const file = path.join(SCREENSHOT_DIR, 'branded-report.pdf');
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.pdf({ path: file, format: 'A4', printBackground: true, preferCSSPageSize: true });
    const pages = await pdfPages(file);
    expect(pages.length).toBeGreaterThan(3);
    expect(holds(pages[0], DEMO_PRACTICE.practiceName)).toBe(true);
    expect(holds(pages[0], 'Page 1 of')).toBe(false);
    expect(holds(pages[0], `${DEMO_PRACTICE.practiceName} · Alex Morgan`)).toBe(false);
    pages.slice(1).forEach((text, index) => {
      expect(holds(text, `${DEMO_PRACTICE.practiceName} · Alex Morgan`), `page ${index + 2}`).toBe(true);
      expect(holds(text, `Page ${index + 2} of ${pages.length}`), `page ${index + 2}`).toBe(true);
    });
    expect(holds(pages[1], '360° feedback for Alex Morgan')).toBe(true);
    await page.close();
  }, 60_000);
});
