import fs from 'node:fs';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { TestContext } from './test-app';
import { deliverDueMessages } from '../../server/mail/outbox.worker';
import { loadConfig } from '../../server/config';

/** Runs the outbox worker once, as the background job would. */
export function deliverOutbox(context: TestContext) {
  return deliverDueMessages(context.deps);
}

/**
 * Test contexts send survey emails at once (test-app.ts); a test about combining a person's emails
 * passes this env to run with the hold as deployed (SURVEY_EMAIL_HOLD_SECONDS' default).
 */
export const DEPLOYED_SURVEY_EMAIL_HOLD = { SURVEY_EMAIL_HOLD_SECONDS: String(loadConfig({}).surveyEmailHoldSeconds) };

/**
 * Moves the test clock past the time survey invitations and reminders wait in the outbox
 * (SURVEY_EMAIL_HOLD_SECONDS, so that several for one person go as one email): from now on the
 * ones queued before are due.
 */
export function passSurveyEmailHold(context: Pick<TestContext, 'clock' | 'config'>): void {
  context.clock.advanceMinutes(context.config.surveyEmailHoldSeconds / 60);
}

/** Every .eml the file mailer wrote, parsed, oldest first. */
export async function readEmlOutbox(context: TestContext): Promise<ParsedMail[]> {
  const directory = path.join(context.dataDir, 'outbox');
  if (!fs.existsSync(directory)) return [];
  const files = fs
    .readdirSync(directory)
    .filter((file) => file.endsWith('.eml'))
    .map((file) => path.join(directory, file))
    .sort((a, b) => fs.statSync(a).mtimeMs - fs.statSync(b).mtimeMs);
  return Promise.all(files.map((file) => simpleParser(fs.readFileSync(file))));
}

export function recipientsOf(mail: ParsedMail): string[] {
  const to = Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : [];
  return to.flatMap((address) => address.value.map((entry) => entry.address ?? ''));
}

/** The first link in the plain-text part that starts with the given path on the public URL. */
export function linkIn(mail: ParsedMail, pathPrefix: string): string {
  const match = new RegExp(`https?://[^\\s]+${pathPrefix.replace(/\//g, '\\/')}[A-Za-z0-9_-]+`).exec(mail.text ?? '');
  if (!match) throw new Error(`No ${pathPrefix} link in: ${mail.text}`);
  return new URL(match[0]).pathname;
}
