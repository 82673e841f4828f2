import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../helpers/chromium';
import { serve, type ServerType } from '@hono/node-server';
import { freePort } from '../helpers/free-port';
import { pdfPages } from '../helpers/pdf';
import { createCoach, createTestContext, type TestContext } from '../helpers/test-app';
import { releaseReportIn } from './released-report';

// What the client prints or saves as a PDF is in their language too: the report, its cover and
// headings, with figures written as the language writes them. SQLite only, like the other browser tests.
describe("the client's printed report in their language", () => {
  let context: TestContext;
  let server: ServerType;
  let url: string;
  let browser: Browser;
  let link: string;

  beforeAll(async () => {
    // The report is made in-process (its surveys answered as the test app's own origin), then
    // served over HTTP for the browser, which only reads the client's page.
    context = await createTestContext('sqlite', { env: { SURVEY_EMAIL_HOLD_SECONDS: '0' } });
    context.clock.set('2026-12-04T10:00:00.000Z');
    const coach = await createCoach(context, { name: 'Kim Coach' });
    ({ link } = await releaseReportIn(context, coach, 'de', 'jordan.de@example.com'));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    server = await new Promise((resolve) => {
      const started = serve({ fetch: context.app.fetch, port, hostname: '127.0.0.1' }, () => resolve(started));
    });
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await context?.close();
  });

  it('prints in German, with German decimals and no English heading', async () => {
    const page = await (await browser.newContext({ viewport: { width: 360, height: 780 } })).newPage();
    await page.goto(`${url}${link}`);
    await page.emulateMedia({ media: 'print' });
    const printed = await page.evaluate(() => document.body.innerText);
    expect(printed).toContain('360°-Feedback für Jordan Lee');
    expect(printed).toContain('Zusammenfassung');
    expect(printed).toContain('4,25');
    for (const english of ['Summary', 'All others', 'How to read this report', 'Print / Save as PDF']) expect(printed).not.toContain(english);

    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'print-')), 'report.pdf');
    await page.pdf({ path: file, format: 'A4' });
    const text = (await pdfPages(file)).join(' ');
    expect(text).toContain('Alle anderen');
    expect(text).toContain('So lesen Sie diesen Bericht');
    expect(text).not.toContain('All others');
    expect(text).not.toContain('4.25');
  }, 60_000);
});
