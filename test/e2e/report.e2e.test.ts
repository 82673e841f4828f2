import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { DEMO_EMAIL, DEMO_PASSWORD, ensureDemoData } from '../../server/demo/demo.service';
import { SCREENSHOT_DIR, launchChromium, screenshot, seriousAccessibilityViolations } from '../helpers/chromium';
import { startLiveServer, type LiveServer } from '../helpers/live-server';

async function pdfText(file: string): Promise<{ pages: number; text: string[] }> {
  const document = await getDocument({ data: new Uint8Array(fs.readFileSync(file)) }).promise;
  const text: string[] = [];
  for (let number = 1; number <= document.numPages; number += 1) {
    const content = await (await document.getPage(number)).getTextContent();
    text.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
  }
  return { pages: document.numPages, text };
}

describe('the demo report in a real browser', () => {
  let server: LiveServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startLiveServer('sqlite');
    await ensureDemoData(server.context.database, server.context.config, server.context.clock.now());
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${server.url}/login`);
    await page.getByLabel('Email').fill(DEMO_EMAIL);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/engagements/);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the report with its charts drawn, and passes axe', async () => {
    await page.getByRole('link', { name: 'Alex Morgan' }).click();
    await page.getByRole('link', { name: 'Baseline 360' }).click();
    await page.getByRole('link', { name: 'Report', exact: true }).click();
    await page.waitForSelector('#chart-overview');
    expect(await page.locator('h1').textContent()).toBe('360° feedback for Alex Morgan');
    // Chart.js drew on both canvases (a blank canvas has no coloured pixel).
    for (const id of ['chart-overview', 'chart-gap']) {
      const painted = await page.evaluate((canvasId) => {
        const canvas = document.getElementById(canvasId) as HTMLCanvasElement;
        const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        for (let index = 0; index < data.length; index += 4) if (data[index + 3]! > 0 && data[index]! !== data[index + 2]!) return true;
        return false;
      }, id);
      expect(painted, id).toBe(true);
    }
    expect(await page.locator('text=Blind spots').count()).toBeGreaterThan(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'report-first-screen', false);
    await page.getByRole('button', { name: 'Show as radar chart' }).click();
    await screenshot(page, 'report-radar', false);
  }, 60_000);

  it('prints to a clean multi-page A4 PDF with the client named', async () => {
    await page.emulateMedia({ media: 'print' });
    await screenshot(page, 'report-print-first-page', false);
    const file = path.join(SCREENSHOT_DIR, 'demo-report.pdf');
    await page.pdf({ path: file, format: 'A4', printBackground: true, preferCSSPageSize: true });
    const { pages, text } = await pdfText(file);
    expect(pages).toBeGreaterThan(1);
    // A cover first (test/branding/branding.e2e.test.ts reads it), then the report.
    expect(text[0]).toContain('Alex Morgan');
    expect(text[1]).toContain('Summary');
    // No navigation or controls on paper.
    expect(text.join(' ')).not.toContain('Sign out');
    expect(text.join(' ')).not.toContain('Download CSV');
    expect(text.join(' ')).toContain('How to read this report');
    await page.emulateMedia({ media: 'screen' });
  }, 60_000);

  it('shows the change report and the engagement summary', async () => {
    await page.goto(`${server.url}/engagements`);
    await page.getByRole('link', { name: 'Alex Morgan' }).click();
    await page.getByRole('link', { name: 'See what changed' }).click();
    await page.waitForSelector('#chart-change-competencies');
    expect(await page.locator('h1').textContent()).toBe('What changed for Alex Morgan');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'change-report-first-screen', false);
    await screenshot(page, 'change-report');

    await page.getByRole('link', { name: 'Open the engagement summary' }).click();
    expect(await page.locator('h1').textContent()).toBe('Coaching with Alex Morgan');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'engagement-summary');
    await page.emulateMedia({ media: 'print' });
    const file = path.join(SCREENSHOT_DIR, 'engagement-summary.pdf');
    await page.pdf({ path: file, format: 'A4', printBackground: true, preferCSSPageSize: true });
    const { text } = await pdfText(file);
    expect(text.join(' ')).toContain('Focus areas and what changed');
    expect(text.join(' ')).not.toContain('Save note');
    await page.emulateMedia({ media: 'screen' });
  }, 60_000);

  it('fits every page of the journey on a 360 px wide phone', async () => {
    const phone = await browser.newPage({ viewport: { width: 360, height: 780 } });
    await phone.context().addCookies(await page.context().cookies());
    await phone.goto(`${server.url}/engagements`);
    await phone.getByRole('link', { name: 'Alex Morgan' }).click();
    const engagementUrl = phone.url();
    const roundLinks = await phone.locator('a[href^="/rounds/"]').evaluateAll((links) => links.map((link) => link.getAttribute('href')!));
    const pages = [
      '/engagements',
      new URL(engagementUrl).pathname,
      `${new URL(engagementUrl).pathname}/plan`,
      `${new URL(engagementUrl).pathname}/summary`,
      '/questionnaires',
      '/questionnaires/leadership-360',
      '/account',
      ...roundLinks.flatMap((href) => [href, `${href}/report`]),
      `${roundLinks.at(-1)}/change`,
    ];
    for (const path of pages) {
      await phone.goto(`${server.url}${path}`);
      const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, path).toBeLessThanOrEqual(0);
    }
    await phone.close();
  }, 90_000);
});
