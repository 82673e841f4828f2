import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { issueSetupToken } from '../../server/auth/auth.service';
import { launchChromium, screenshot, seriousAccessibilityViolations } from '../helpers/chromium';
import { startLiveServer, type LiveServer } from '../helpers/live-server';

describe('a new coach in a real browser: setup → sign in → engagement → questionnaire', () => {
  let server: LiveServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startLiveServer('sqlite');
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('walks the first steps of a coach and takes screenshots', async () => {
    const token = await issueSetupToken(server.context.db, server.context.clock);
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });

    await page.goto(`${server.url}/setup/${token}`);
    await page.getByLabel('Your name').fill('Morgan Coach');
    await page.getByLabel('Email').fill('morgan@example.com');
    await page.getByLabel('Password').fill('a good long password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => page.url()).toBe(`${server.url}/engagements`);
    expect(await page.locator('.flash').textContent()).toContain('Welcome, Morgan Coach');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${server.url}/login`);
    await page.getByLabel('Email').fill('morgan@example.com');
    await page.getByLabel('Password').fill('a good long password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${server.url}/engagements`);

    await page.getByRole('link', { name: 'New engagement' }).first().click();
    await page.getByLabel('Client name').fill('Riley Chen');
    await page.getByLabel('Client email').fill('riley.chen@example.com');
    await page.getByLabel('Organisation').fill('Globex');
    await page.getByLabel('Role').fill('VP Engineering');
    await page.getByLabel('Current stage').selectOption('assessment');
    await page.getByRole('button', { name: 'Create engagement' }).click();
    await page.waitForURL(/\/engagements\/[A-Za-z0-9_-]+$/);
    expect(await page.locator('h1').textContent()).toBe('Riley Chen');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'foundation-engagement');

    await page.getByRole('link', { name: 'Questionnaires' }).click();
    await page.getByRole('button', { name: 'Copy Leadership 360' }).click();
    await page.waitForURL(/\/questionnaires\/[A-Za-z0-9_-]+\/edit$/);
    await page.getByLabel('Name', { exact: true }).first().fill('Leadership 360 – Globex');
    await page.getByRole('button', { name: 'Save changes' }).first().click();
    await page.waitForURL(/\/edit$/);
    expect(await page.locator('.flash').textContent()).toContain('Saved.');
    await page.getByRole('link', { name: 'Questionnaires' }).click();
    expect(await page.locator('table').textContent()).toContain('Leadership 360 – Globex');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    const file = await screenshot(page, 'foundation-questionnaires');
    expect(fs.statSync(file).size).toBeGreaterThan(10_000);

    const phone = await browser.newPage({ viewport: { width: 360, height: 740 } });
    await phone.context().addCookies(await page.context().cookies());
    await phone.goto(`${server.url}/engagements`);
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(phone, 'foundation-engagements-phone');
  }, 90_000);
});
