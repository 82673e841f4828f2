import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { ReportModel } from '../../reports/types';
import { ensureDemoData } from '../../server/demo/demo.service';
import { SCREENSHOT_DIR, launchChromium, screenshot, seriousAccessibilityViolations } from '../helpers/chromium';
import { startLiveServer, type LiveServer } from '../helpers/live-server';
import { pdfPages } from '../helpers/pdf';
import { signInAsDemoCoach } from '../helpers/demo-sign-in';
import { createRoundWithRaters, launch } from '../helpers/rounds';

const PHONE = { width: 360, height: 780 };
const DESKTOP = { width: 1280, height: 900 };
const WIDTHS = [DESKTOP, PHONE];

/** A figure on a page: its text, and whether it is on screen without scrolling sideways. */
interface ShownFigure {
  text: string;
  onScreen: boolean;
}

/**
 * Every number a report page shows: table cells of figures, the change report's difference-only
 * lines, the answers per scale point (as text and as the bar's label). On screen means rendered,
 * inside the viewport's width and not cut by a scrolling or clipping box around it.
 */
function readFigures(page: Page): Promise<ShownFigure[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement | SVGElement>('main td.num, main tr.minor td, main .dist-counts, main svg.dist')].map((node) => {
      const box = node.getBoundingClientRect();
      let inside = box.width > 0 && box.left >= -0.5 && box.right <= window.innerWidth + 0.5;
      for (let around = node.parentElement; around && around !== document.body; around = around.parentElement) {
        if (getComputedStyle(around).overflowX === 'visible') continue;
        const frame = around.getBoundingClientRect();
        if (box.left < frame.left - 0.5 || box.right > frame.right + 0.5) inside = false;
      }
      const text = node instanceof SVGElement ? node.getAttribute('aria-label') ?? '' : node.innerText;
      return { text: text.replace(/\s+/g, ' ').trim(), onScreen: inside && node.checkVisibility() };
    }),
  );
}

/** A screenshot of the screen that starts at `selector`. */
async function screenshotFrom(page: Page, selector: string, name: string): Promise<void> {
  await page.locator(selector).scrollIntoViewIfNeeded();
  await screenshot(page, name, false);
}

const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

// Layout does not depend on the database; like the other browser tests this runs on SQLite (it
// passes on PostgreSQL too: startLiveServer('postgres') with TEST_DATABASE_URL set).
describe('every page of the journey at 360 and 1280 px', () => {
  let server: LiveServer;
  let browser: Browser;
  let coach: BrowserContext;
  /** Page name → path, for the coach, the rater and the client. */
  const paths: Record<string, string> = {};
  let surveyRoundPath: string;

  beforeAll(async () => {
    server = await startLiveServer('sqlite');
    const { coach: demoCoach } = await ensureDemoData(server.context.database, server.context.config, server.context.clock.now());
    // An open round, for a rater's survey page and the round page's personal links.
    const { round: open } = await createRoundWithRaters(server.context, demoCoach, { manager: 1, peers: 3 }, { deadlineDay: '2026-03-30' });
    await launch(server.context, demoCoach, open.id);
    surveyRoundPath = `/rounds/${open.id}`;

    const db = server.context.db;
    const engagement = await db.selectFrom('engagements').select('id').where('client_name', '=', 'Alex Morgan').executeTakeFirstOrThrow();
    const rounds = await db.selectFrom('rounds').select(['id', 'purpose']).where('engagement_id', '=', engagement.id).orderBy('created_at').execute();
    const roundOf = (purpose: string) => rounds.find((round) => round.purpose === purpose)!.id;

    browser = await launchChromium();
    coach = await browser.newContext({ viewport: DESKTOP });
    const page = await coach.newPage();
    await signInAsDemoCoach(page, server.url);

    // Email is not configured: releasing again shows the client's new link on the report page.
    await page.goto(`${server.url}/rounds/${roundOf('baseline')}/report`);
    await page.getByLabel('Debrief note').fill('Start with the two focus areas we agreed on.');
    await page.getByRole('button', { name: 'Release a new version' }).click();
    await page.waitForURL(/#release/);
    const clientLink = await page.getByRole('textbox', { name: 'Report link of Alex Morgan' }).inputValue();
    await page.goto(`${server.url}${surveyRoundPath}`);
    const surveyLink = await page.locator('input.link-field').first().inputValue();
    await page.close();

    Object.assign(paths, {
      'engagement list': '/engagements',
      engagement: `/engagements/${engagement.id}`,
      'round page': `/rounds/${roundOf('baseline')}`,
      'round page with links': surveyRoundPath,
      report: `/rounds/${roundOf('baseline')}/report`,
      pulse: `/rounds/${roundOf('pulse')}/report`,
      change: `/rounds/${roundOf('evaluation')}/change`,
      plan: `/engagements/${engagement.id}/plan`,
      summary: `/engagements/${engagement.id}/summary`,
      'new round': `/engagements/${engagement.id}/rounds/new`,
      survey: new URL(surveyLink).pathname,
      'client view': new URL(clientLink).pathname,
    });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** A page as its reader sees it: raters and the client without the coach's session. */
  async function open(name: string, viewport: { width: number; height: number }): Promise<Page> {
    const anonymous = name === 'survey' || name === 'client view';
    const page = anonymous ? await (await browser.newContext({ viewport })).newPage() : await coach.newPage();
    await page.setViewportSize(viewport);
    await page.goto(`${server.url}${paths[name]}`);
    await page.waitForLoadState('load');
    return page;
  }

  it('passes axe (no serious or critical violation) and never scrolls the page sideways', async () => {
    const problems: string[] = [];
    for (const viewport of WIDTHS) {
      for (const name of Object.keys(paths)) {
        const page = await open(name, viewport);
        const scroll = await overflow(page);
        if (scroll > 0) problems.push(`${name} at ${viewport.width} px scrolls sideways by ${scroll} px`);
        for (const violation of await seriousAccessibilityViolations(page)) problems.push(`${name} at ${viewport.width} px: ${violation.id} ${JSON.stringify(violation.nodes.map((node) => node.target))}`);
        await page.close();
      }
    }
    expect(problems).toEqual([]);
  }, 240_000);

  it.each(['report', 'client view', 'pulse', 'change'])('shows every figure of the %s at 360 px, as at 1280 px', async (name) => {
    const wide = await open(name, DESKTOP);
    const desktop = await readFigures(wide);
    await wide.close();
    const narrow = await open(name, PHONE);
    const phone = await readFigures(narrow);
    await narrow.close();
    expect(desktop.length).toBeGreaterThan(10);
    expect(desktop.filter((figure) => !figure.onScreen)).toEqual([]);
    expect(phone.map((figure) => figure.text)).toEqual(desktop.map((figure) => figure.text));
    expect(phone.filter((figure) => !figure.onScreen)).toEqual([]);
  }, 60_000);

  it('shows at 360 px each item figure of the published model, in its item’s card', async () => {
    const page = await open('report', PHONE);
    const { report } = (await (await page.request.get(`${server.url}${paths.report}.json`)).json()) as { report: ReportModel };
    const expected = report.competencies.flatMap((competency) =>
      competency.items.map((item) => [item.text, ...[item.self, item.allOthers, ...item.groups.map((group) => group.figure)].map((figure) => (figure.withheld || figure.mean === null ? '–' : figure.mean.toFixed(2)))]),
    );
    const shown = await page.evaluate(() =>
      [...document.querySelectorAll('table.items tbody tr:not(.competency-row)')].map((row) => [
        (row.querySelector('th') as HTMLElement).innerText.split('\n')[0]!.replace(/\s*(Focus area|Blind spot|Hidden strength|Raters disagree)/g, '').trim(),
        ...[...row.querySelectorAll<HTMLElement>('td.num .value')].map((value) => value.innerText.trim().split(/\s/)[0]),
      ]),
    );
    expect(shown).toEqual(expected);
    await screenshot(page, 'phone-report-first-screen', false);
    await screenshotFrom(page, `#competency-${report.competencies[0]!.id}`, 'phone-report-competency');
    await page.close();
  }, 60_000);

  it('draws chart labels whole at 360 px: bar labels wrapped within their axis, every radar label on the canvas, every scale point on the radar', async () => {
    const page = await open('report', PHONE);
    const bars = await page.evaluate(() => {
      const { Chart } = window as unknown as { Chart: { getChart(id: string): any; defaults: { font: { size: number; family: string } } } };
      const chart = Chart.getChart('chart-overview');
      const axis = chart.scales.y;
      const context = chart.ctx as CanvasRenderingContext2D;
      context.font = `${Chart.defaults.font.size}px ${Chart.defaults.font.family}`; // the ticks' font: the charts set none of their own
      const lines: string[] = axis.ticks.flatMap((tick: { label: string | string[] }) => (Array.isArray(tick.label) ? tick.label : [tick.label]));
      return { lines, widest: Math.max(...lines.map((line) => context.measureText(line).width)), room: axis.width, labels: chart.data.labels as string[] };
    });
    expect(bars.lines.join(' ')).toBe(bars.labels.join(' ')); // every word of every label, none cut
    expect(bars.lines.length).toBeGreaterThan(bars.labels.length); // long ones on several lines
    expect(bars.widest).toBeLessThanOrEqual(bars.room);

    await page.getByRole('button', { name: 'Show as radar chart' }).click();
    const radar = await page.evaluate(() => {
      const chart = (window as unknown as { Chart: { getChart(id: string): any } }).Chart.getChart('chart-overview');
      const scale = chart.scales.r;
      const positions = (chart.data.labels as string[]).map((_label, index) => scale.getPointLabelPosition(index));
      return { ticks: scale.ticks.map((tick: { value: number }) => tick.value), width: chart.width, left: Math.min(...positions.map((box: { left: number }) => box.left)), right: Math.max(...positions.map((box: { right: number }) => box.right)) };
    });
    expect(radar.ticks).toEqual([0, 1, 2, 3, 4, 5]); // the centre, then a ring and a label for each of the 5 scale points
    expect(radar.left).toBeGreaterThanOrEqual(0);
    expect(radar.right).toBeLessThanOrEqual(radar.width);
    await screenshotFrom(page, '#overview', 'phone-report-radar');
    await page.close();
  }, 60_000);

  it('reads the client view and the change report on a phone', async () => {
    const client = await open('client view', PHONE);
    expect(await client.locator('h1').textContent()).toBe('360° feedback for Alex Morgan');
    await screenshot(client, 'phone-client-view-first-screen', false);
    await screenshotFrom(client, '#overview', 'phone-client-view-overview');
    await client.close();

    const change = await open('change', PHONE);
    // Plain words first, focus areas first.
    const summary = await change.locator('#summary').innerText();
    expect(summary.indexOf('Focus areas')).toBeLessThan(summary.indexOf('Other reliable changes'));
    expect(summary).toContain('“Communication” improved reliably');
    expect(summary).toContain('What did not move');
    // Self and a single manager are summarised once per table, not on every row.
    expect(await change.locator('#item-change p.muted').first().innerText()).toContain('Self (the self-assessment is a single rater');
    expect((await change.locator('#item-change').innerText()).match(/single rater/g)).toHaveLength(1);
    await screenshot(change, 'phone-change-report-first-screen', false);
    await screenshotFrom(change, '#item-change', 'phone-change-report-items');
    await change.close();
  }, 60_000);

  it('prints the demo change report on a cover and at most 6 A4 pages, the plain summary first', async () => {
    const page = await open('change', DESKTOP);
    await page.emulateMedia({ media: 'print' });
    const file = path.join(SCREENSHOT_DIR, 'demo-change-report.pdf');
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.pdf({ path: file, format: 'A4', printBackground: true, preferCSSPageSize: true });
    const [cover, ...pages] = await pdfPages(file);
    // The cover (the practice, the client, the rounds) is a page of its own, not counted in the six.
    expect(cover).toMatch(/change report/i); // upper case on the cover
    expect(cover).toContain('Alex Morgan');
    expect(pages.length).toBeLessThanOrEqual(6);
    expect(pages[0]).toContain('What changed for Alex Morgan');
    expect(pages[0]).toContain('In short');
    expect(pages.join(' ')).toContain('How to read this change report');
    expect(pages.join(' ')).not.toContain('Download CSV');
    await page.close();
  }, 60_000);

  it('keeps the top menu on one line on a phone, opening with and without JavaScript', async () => {
    for (const javaScriptEnabled of [true, false]) {
      const context = await browser.newContext({ viewport: PHONE, javaScriptEnabled, storageState: await coach.storageState() });
      const page = await context.newPage();
      await page.goto(`${server.url}/engagements`);
      expect((await page.locator('header.topbar').boundingBox())!.height).toBeLessThan(60);
      const engagements = page.locator('header nav').getByRole('link', { name: 'Engagements' });
      expect(await engagements.isVisible()).toBe(false);
      await page.locator('header summary').click();
      expect(await engagements.isVisible()).toBe(true);
      expect(await page.locator('header nav').getByRole('button', { name: 'Sign out' }).isVisible()).toBe(true);
      await context.close();
    }
    const wide = await coach.newPage();
    await wide.goto(`${server.url}/engagements`);
    expect(await wide.locator('header summary').isVisible()).toBe(false);
    expect(await wide.locator('header nav').getByRole('link', { name: 'Questionnaires' }).isVisible()).toBe(true);
    await wide.close();
  }, 60_000);

  it('copies a personal link, and writes a chosen day as every page prints days', async () => {
    await coach.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    const round = await open('round page with links', PHONE);
    const field = round.locator('input.link-field').first();
    await round.getByRole('button', { name: /^Copy personal link of / }).first().click();
    await round.getByText('Copied').first().waitFor();
    expect(await round.evaluate(() => navigator.clipboard.readText())).toBe(await field.inputValue());
    await round.close();

    const plan = await open('plan', PHONE);
    const due = plan.locator('input[type=date][name^="dueOn."]').first();
    const echo = plan.locator('input[type=date][name^="dueOn."] + .date-echo').first();
    const [year, month, day] = (await due.inputValue()).split('-').map(Number);
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    expect(await echo.textContent()).toBe(`${day} ${months[month! - 1]} ${year}`);
    await due.fill('2027-09-05');
    expect(await echo.textContent()).toBe('5 Sep 2027');
    await plan.close();
  }, 60_000);
});
