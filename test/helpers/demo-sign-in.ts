import type { Page } from 'playwright-core';
import { DEMO_EMAIL, DEMO_PASSWORD } from '../../server/demo/demo.service';

/** Signs the page's browser context in as the demo coach, through the sign-in form as a person would. */
export async function signInAsDemoCoach(page: Page, serverUrl: string): Promise<void> {
  await page.goto(`${serverUrl}/login`);
  await page.getByLabel('Email').fill(DEMO_EMAIL);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/engagements/);
}
