import nodemailer from 'nodemailer';
import type { StoredMessage } from '../../server/mail/outbox.repository';
import type { RemoteBrowser } from '../helpers/remote-browser';
import type { SmtpSink } from './smtp-sink';
import { DOMAINS } from './seed';
import { elapsedMs, sleep, waitUntil } from './timing';

export interface EmailTiming {
  seconds: number;
  delivered: number;
  /** For a launch: how long the Launch request itself took (queueing every invitation in one transaction). */
  requestSeconds?: number;
  warning?: string;
}

/**
 * Waits until the server's outbox has gone quiet: at least `expected` messages for `domain` arrived
 * and nothing else arrived for a few worker ticks (the worker polls every 2 s). Timing the launch
 * while thank-you messages of the submit load are still queued would measure the backlog instead.
 */
export async function waitForQuietOutbox(sink: SmtpSink, domain: string, expected: number, timeoutMs: number): Promise<void> {
  await waitUntil(() => sink.count(domain) >= expected, `${expected} messages to ${domain}`, timeoutMs, 50);
  let last = sink.total();
  for (let quietFor = 0; quietFor < 2500; quietFor += 250) {
    await sleep(250);
    if (sink.total() !== last) {
      last = sink.total();
      quietFor = 0;
    }
  }
}

/** From the coach pressing Launch (the server's own route, outbox and worker) to the last invitation accepted by SMTP. */
export async function timeLaunch(browser: RemoteBrowser, sink: SmtpSink, roundId: string, expected: number, timeoutMs: number): Promise<EmailTiming> {
  const before = sink.count(DOMAINS.launch);
  const start = performance.now();
  const response = await browser.post(`/rounds/${roundId}/launch`, {});
  if (response.status !== 303) throw new Error(`Launch answered ${response.status}: ${response.text.slice(0, 300)}`);
  const requestSeconds = elapsedMs(start) / 1000;
  const arrived = () => sink.count(DOMAINS.launch) - before;
  try {
    await waitUntil(() => arrived() >= expected, `${expected} invitations`, timeoutMs, 5);
    return { seconds: elapsedMs(start) / 1000, delivered: arrived(), requestSeconds };
  } catch {
    return { seconds: elapsedMs(start) / 1000, delivered: arrived(), requestSeconds, warning: `only ${arrived()} of ${expected} invitations arrived in ${timeoutMs / 1000} s` };
  }
}

/** The floor: the same number of messages of the same size through a bare pooled nodemailer transport. */
export async function timeRawSmtp(sink: SmtpSink, sample: StoredMessage, count: number): Promise<EmailTiming> {
  const transport = nodemailer.createTransport({ host: sink.host, port: sink.port, pool: true, maxConnections: 5, ignoreTLS: true });
  const before = sink.count(DOMAINS.raw);
  const start = performance.now();
  try {
    await Promise.all(
      Array.from({ length: count }, (_, index) =>
        transport.sendMail({ from: sample.from, to: `rater-${index}@${DOMAINS.raw}`, replyTo: sample.replyTo, subject: sample.subject, text: sample.text, html: sample.html }),
      ),
    );
    return { seconds: elapsedMs(start) / 1000, delivered: sink.count(DOMAINS.raw) - before };
  } finally {
    transport.close();
  }
}
