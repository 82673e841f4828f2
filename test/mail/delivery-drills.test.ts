import { describe, expect, it } from 'vitest';
import type { Coach } from '../../server/auth/coach';
import { createApiToken } from '../../server/api/api-tokens.service';
import { addSeconds } from '../../server/clock';
import { createSmtpMailer, type Mailer } from '../../server/mail/mailer';
import type { Round } from '../../server/rounds/rounds.types';
import { formatMoment } from '../../server/views';
import { DATABASE_KINDS } from '../helpers/databases';
import { deliverOutbox } from '../helpers/mail';
import { createRoundWithRaters, launch } from '../helpers/rounds';
import { waitUntil } from '../helpers/server-process';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp';
import { createCoach, createTestContext, signedInBrowser, type TestContext } from '../helpers/test-app';

/**
 * The delivery drills of the privacy and delivery issue, against a real SMTP server: deferred then
 * delivered, a server slower than the old 30 s timeout, and a permanent refusal. At each step the
 * coach sees the state on the round page and in the API, and in the end every rater has exactly
 * one invitation. The drills are independent and run side by side, on both databases at once (the
 * slow ones wait 35 s, and 70 s for messages queued behind a full pool).
 */
interface Drill {
  smtp: TestSmtpServer;
  context: TestContext;
  coach: Coach;
  round: Round;
  page(): Promise<string>;
  api(path: string): Promise<any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON of several shapes
  close(): Promise<void>;
}

async function startDrill(kind: (typeof DATABASE_KINDS)[number], raters: Record<string, number>, mailer: (url: string, from: string) => Mailer): Promise<Drill> {
  const smtp = await startSmtpServer();
  const context = await createTestContext(kind, { mailer: (config) => mailer(smtp.url, config.mailFrom) });
  const coach = await createCoach(context);
  const { round } = await createRoundWithRaters(context, coach, raters);
  const browser = await signedInBrowser(context, coach);
  const { token } = await createApiToken(context.db, context.clock, coach.id, 'Drill');
  return {
    smtp,
    context,
    coach,
    round,
    async page() {
      const page = await browser.get(`/rounds/${round.id}`);
      expect(page.status).toBe(200);
      return page.text;
    },
    async api(path) {
      const response = await context.app.request(`/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } });
      expect(response.status, path).toBe(200);
      return response.json();
    },
    async close() {
      await context.close();
      await smtp.stop();
    },
  };
}

const testMailer = (url: string, from: string) => createSmtpMailer(url, from, { ignoreTLS: true, connectionTimeout: 2000, greetingTimeout: 2000, socketTimeout: 5000 });
/** The transport as production builds it: only TLS is left out, for the plain test server. */
const productionMailer = (url: string, from: string) => createSmtpMailer(url, from, { ignoreTLS: true });

const occurrences = (text: string, part: string) => text.split(part).length - 1;

/** What the coach is told, on the page and in the API, about every invitation's latest email. */
async function expectEveryInvitation(drill: Drill, state: string, pageText: string) {
  const page = await drill.page();
  const invitations = await drill.api(`/rounds/${drill.round.id}/invitations`);
  expect(invitations.items.length).toBeGreaterThan(0);
  expect(invitations.items.map((invitation: { delivery: { state: string } }) => invitation.delivery.state)).toEqual(invitations.items.map(() => state));
  expect(occurrences(page, pageText)).toBe(invitations.items.length);
  return { page, invitations: invitations.items };
}

describe.concurrent.each(DATABASE_KINDS)('email delivery drills (%s)', (kind) => {
  it.concurrent('a deferred invitation shows as deferred with the next try and the server\'s answer, then as delivered, and arrives once', async () => {
    const drill = await startDrill(kind, { manager: 1, peers: 3 }, testMailer);
    try {
      drill.smtp.mode = 'temporary';
      expect(await launch(drill.context, drill.coach, drill.round.id)).toBe(5);
      const queued = await expectEveryInvitation(drill, 'queued', 'Invitation waiting to be sent');
      expect(queued.page).not.toContain('Email delivery problems');
      expect((await drill.api(`/rounds/${drill.round.id}`)).deliveryProblems).toEqual({ deferred: 0, failed: 0 });

      expect(await deliverOutbox(drill.context)).toEqual({ sent: 0, retried: 5, failed: 0 });
      const nextTry = addSeconds(drill.context.clock.now(), 30);
      const deferred = await expectEveryInvitation(drill, 'deferred', `Invitation not delivered yet after 1 try; next try ${formatMoment(nextTry)}: “451 Try again later”`);
      // The summary comes before the raters' table, and groups the five under the server's one answer.
      expect(deferred.page.indexOf('Email delivery problems')).toBeGreaterThan(0);
      expect(deferred.page.indexOf('Email delivery problems')).toBeLessThan(deferred.page.indexOf('id="raters"'));
      expect(deferred.page).toContain('5 emails not delivered yet:');
      expect(deferred.page).toContain(`“451 Try again later”; next try ${formatMoment(nextTry)}`);
      for (const invitation of deferred.invitations) {
        expect(invitation.delivery).toEqual({ state: 'deferred', email: 'invitation', attempts: 1, nextAttemptAt: nextTry.toISOString(), lastAnswer: '451 Try again later' });
      }
      expect((await drill.api(`/rounds/${drill.round.id}`)).deliveryProblems).toEqual({ deferred: 5, failed: 0 });
      const deferredEmails = await drill.api(`/rounds/${drill.round.id}/emails?state=deferred`);
      expect(deferredEmails.items.map((email: { recipient: string }) => email.recipient).sort()).toEqual(deferred.invitations.map((invitation: { email: string }) => invitation.email).sort());

      // Nothing is tried again before the next try.
      expect(await deliverOutbox(drill.context)).toEqual({ sent: 0, retried: 0, failed: 0 });
      drill.smtp.mode = 'accept';
      drill.context.clock.advanceMinutes(1);
      expect(await deliverOutbox(drill.context)).toEqual({ sent: 5, retried: 0, failed: 0 });
      const delivered = await expectEveryInvitation(drill, 'delivered', 'Invitation delivered to the mail server');
      expect(delivered.page).not.toContain('Email delivery problems');
      expect((await drill.api(`/rounds/${drill.round.id}`)).deliveryProblems).toEqual({ deferred: 0, failed: 0 });
      expect((await drill.api(`/rounds/${drill.round.id}/emails?state=delivered`)).items).toHaveLength(5);
      await drill.smtp.waitFor(5);
      expect([...drill.smtp.deliveries.values()]).toEqual([1, 1, 1, 1, 1]);
    } finally {
      await drill.close();
    }
  });

  it.concurrent('a permanent refusal of one address is shown first and in the API with the reason, is never retried, and the others arrive once', async () => {
    const drill = await startDrill(kind, { manager: 1, peers: 3 }, testMailer);
    try {
      const invitations = await drill.context.db.selectFrom('invitations').select(['email']).where('round_id', '=', drill.round.id).where('group_key', '=', 'peers').execute();
      const unknown = invitations[0]!.email;
      drill.smtp.unknownMailboxes.add(unknown);
      await launch(drill.context, drill.coach, drill.round.id);
      expect(await deliverOutbox(drill.context)).toEqual({ sent: 4, retried: 0, failed: 1 });

      const page = await drill.page();
      expect(page.indexOf('Email delivery problems')).toBeLessThan(page.indexOf('id="raters"'));
      expect(page).toContain('1 email could not be delivered');
      expect(page).toMatch(new RegExp(`${unknown.replace(/[.]/g, '\\.')}: the mail server answered “550[^”]*User unknown”`));
      expect(occurrences(page, 'Invitation could not be delivered: “550')).toBe(1);
      expect(occurrences(page, 'Invitation delivered to the mail server')).toBe(4);

      const listed = (await drill.api(`/rounds/${drill.round.id}/invitations`)).items as Array<{ email: string; delivery: { state: string; lastAnswer: string | null } }>;
      expect(listed.find((invitation) => invitation.email === unknown)!.delivery).toMatchObject({ state: 'failed', lastAnswer: expect.stringMatching(/^550 .*User unknown/) });
      expect(listed.filter((invitation) => invitation.delivery.state === 'delivered')).toHaveLength(4);
      expect((await drill.api(`/rounds/${drill.round.id}`)).deliveryProblems).toEqual({ deferred: 0, failed: 1 });
      const failed = await drill.api(`/rounds/${drill.round.id}/emails?state=failed`);
      expect(failed.items).toEqual([expect.objectContaining({ recipient: unknown, kind: 'survey-invitation', state: 'failed', attempts: 1 })]);

      drill.context.clock.advanceDays(2);
      expect(await deliverOutbox(drill.context)).toEqual({ sent: 0, retried: 0, failed: 0 });
      await drill.smtp.waitFor(4);
      expect(drill.smtp.messages.flatMap((mail) => (Array.isArray(mail.to) ? mail.to : [mail.to!]).flatMap((to) => to.value.map((value) => value.address)))).not.toContain(unknown);
      expect([...drill.smtp.deliveries.values()]).toEqual([1, 1, 1, 1]);
    } finally {
      await drill.close();
    }
  });

  it.concurrent('a server that takes 35 s to accept each message (more than the old 30 s timeout) gets every invitation once, shown as being sent meanwhile', async () => {
    const drill = await startDrill(kind, { manager: 1, peers: 3, reports: 2 }, productionMailer);
    try {
      drill.smtp.mode = 'slow';
      // 7 invitations on a pool of 5 connections: 2 wait behind the slow ones, as in the report.
      expect(await launch(drill.context, drill.coach, drill.round.id)).toBe(7);
      const delivering = deliverOutbox(drill.context);
      await waitUntil('the first messages to reach the server', () => drill.smtp.messages.length >= 1, 10_000);
      const sending = await drill.api(`/rounds/${drill.round.id}/invitations`);
      expect(sending.items.filter((invitation: { delivery: { state: string } }) => invitation.delivery.state === 'sending').length).toBeGreaterThanOrEqual(1);
      expect(await drill.page()).toContain('Invitation being handed to the mail server');
      expect(await delivering).toEqual({ sent: 7, retried: 0, failed: 0 });
      await expectEveryInvitation(drill, 'delivered', 'Invitation delivered to the mail server');
      drill.context.clock.advanceDays(1);
      expect(await deliverOutbox(drill.context)).toEqual({ sent: 0, retried: 0, failed: 0 });
      expect([...drill.smtp.deliveries.values()]).toEqual([1, 1, 1, 1, 1, 1, 1]);
    } finally {
      await drill.close();
    }
  }, 120_000);

  it.concurrent('the same slow server with the old 30 s socket timeout got a message twice (what the new timeout prevents)', async () => {
    const drill = await startDrill(kind, { manager: 1 }, (url, from) => createSmtpMailer(url, from, { ignoreTLS: true, socketTimeout: 30_000 }));
    try {
      drill.smtp.mode = 'slow';
      await launch(drill.context, drill.coach, drill.round.id);
      expect(await deliverOutbox(drill.context)).toEqual({ sent: 0, retried: 2, failed: 0 });
      await expectEveryInvitation(drill, 'deferred', 'Invitation not delivered yet after 1 try');
      drill.smtp.mode = 'accept';
      drill.context.clock.advanceMinutes(1);
      expect(await deliverOutbox(drill.context)).toEqual({ sent: 2, retried: 0, failed: 0 });
      expect([...drill.smtp.deliveries.values()]).toEqual([2, 2]);
    } finally {
      await drill.close();
    }
  }, 120_000);
});
