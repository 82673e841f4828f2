import type { Clock } from '../clock';
import { addSeconds } from '../clock';
import type { DatabaseKind } from '../db/connect';
import type { Db } from '../db/schema';
import type { Logger } from '../logger';
import type { Mailer } from './mailer';
import {
  claimDueMessages,
  forgetMessage,
  markMessageFailed,
  markMessageSent,
  renewClaim,
  scheduleMessageRetry,
  type OutboxEntry,
} from './outbox.repository';

export interface OutboxWorkerDeps {
  db: Db;
  dbKind: DatabaseKind;
  clock: Clock;
  mailer: Mailer;
  logger: Logger;
}

export interface DeliveryPolicy {
  batchSize: number;
  /** How long a claim lasts; a worker that dies mid-send releases its messages when it ends. */
  leaseSeconds: number;
  maxAttempts: number;
  firstRetrySeconds: number;
  maxRetrySeconds: number;
  /**
   * Messages handed to the transport at once: the connections of the SMTP pool (createSmtpMailer).
   * Handing over more would leave them queued inside the pool, where a slow server can keep them
   * past their claim while another worker takes them over.
   */
  concurrency: number;
}

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  batchSize: 50,
  concurrency: 5,
  leaseSeconds: 660,
  maxAttempts: 8,
  firstRetrySeconds: 30,
  maxRetrySeconds: 3600,
};

/**
 * The policy for a transport whose socket timeout is `smtpTimeoutSeconds`: a claim must outlast the
 * longest wait for an answer, or another worker would take over a message still being accepted and
 * send it again.
 */
export function deliveryPolicyFor(smtpTimeoutSeconds: number): DeliveryPolicy {
  return { ...DEFAULT_DELIVERY_POLICY, leaseSeconds: smtpTimeoutSeconds + 60 };
}

export interface DeliveryTally {
  sent: number;
  retried: number;
  failed: number;
}

/** 5xx answers from the SMTP server are final (unknown mailbox, refused); everything else may pass later. */
export function isPermanentFailure(error: unknown): boolean {
  const code = (error as { responseCode?: unknown }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600;
}

/** Exponential backoff: 30 s, 1 min, 2 min, ... capped, so a down SMTP server is not hammered. */
export function retryDelaySeconds(attempt: number, policy: DeliveryPolicy): number {
  return Math.min(policy.maxRetrySeconds, policy.firstRetrySeconds * 2 ** Math.max(0, attempt - 1));
}

/** The server's answer as it gave it ("451 4.7.1 Try again later"), else the connection's error: what the coach reads. */
function describe(error: unknown): string {
  const smtp = error as { response?: string; code?: string; message?: string };
  return (smtp.response || [smtp.code, smtp.message].filter(Boolean).join(' ')).slice(0, 500) || 'unknown error';
}

/**
 * One pass of the outbox: claims due messages in batches and sends each once. Returns when nothing
 * due is left. Each claimed message is sent at most once per pass; a crash between sending and
 * recording leaves the claim to expire, and the message is retried (at-least-once delivery, with
 * the same Message-ID so receivers can recognise a duplicate).
 *
 * A claim is renewed right before its message is sent, a few at a time, so a batch that takes
 * long on a slow SMTP server cannot outlive the claims of the messages not yet started: once a
 * claim has run out and another worker has taken the message, this one neither sends it nor
 * records anything about it.
 */
export async function deliverDueMessages(deps: OutboxWorkerDeps, policy: DeliveryPolicy = DEFAULT_DELIVERY_POLICY): Promise<DeliveryTally> {
  const tally: DeliveryTally = { sent: 0, retried: 0, failed: 0 };
  for (;;) {
    const now = deps.clock.now();
    const batch = await claimDueMessages(deps.db, deps.dbKind, {
      now: now.toISOString(),
      leaseUntil: addSeconds(now, policy.leaseSeconds).toISOString(),
      limit: policy.batchSize,
    });
    if (batch.length === 0) return tally;
    const outcomes = await inLanes(batch, policy.concurrency, (entry) => deliverOne(deps, entry, policy));
    for (const outcome of outcomes) if (outcome) tally[outcome] += 1;
  }
}

/** Runs `work` over the items with at most `lanes` at a time, keeping the results in order. */
async function inLanes<T, R>(items: T[], lanes: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(lanes, items.length)) }, lane));
  return results;
}

async function deliverOne(deps: OutboxWorkerDeps, entry: OutboxEntry, policy: DeliveryPolicy): Promise<keyof DeliveryTally | null> {
  const keepBody = !deps.mailer.deliversEmail;
  const record = async (outcome: keyof DeliveryTally, written: Promise<boolean>) => {
    if (await written) return outcome;
    deps.logger.warn('Email claim was taken over by another worker while sending', { id: entry.id, kind: entry.kind, outcome });
    return null;
  };
  if (!(await renewClaim(deps.db, entry, addSeconds(deps.clock.now(), policy.leaseSeconds).toISOString()))) return null;
  const message = entry.message;
  if (!message) return record('failed', markMessageFailed(deps.db, entry, 'message body missing', keepBody));
  try {
    await deps.mailer.transport.sendMail({
      from: message.from,
      to: message.to,
      replyTo: message.replyTo,
      subject: message.subject,
      text: message.text,
      html: message.html,
      date: new Date(message.date),
      messageId: entry.messageId,
    });
  } catch (error) {
    const reason = describe(error);
    if (isPermanentFailure(error) || entry.attempts >= policy.maxAttempts) {
      deps.logger.warn('Email failed for good', { id: entry.id, kind: entry.kind, reason });
      return record('failed', entry.forgetWhenDone ? forgetMessage(deps.db, entry) : markMessageFailed(deps.db, entry, reason, keepBody));
    }
    const retryAt = addSeconds(deps.clock.now(), retryDelaySeconds(entry.attempts, policy));
    deps.logger.info('Email will be retried', { id: entry.id, kind: entry.kind, attempt: entry.attempts, retryAt, reason });
    return record('retried', scheduleMessageRetry(deps.db, entry, retryAt.toISOString(), reason));
  }
  // Without SMTP the written .eml is the delivery and the coach reads the link from the round page.
  return record('sent', entry.forgetWhenDone ? forgetMessage(deps.db, entry) : markMessageSent(deps.db, entry, deps.clock.now().toISOString(), keepBody));
}
