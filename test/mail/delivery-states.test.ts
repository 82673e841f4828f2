import { describe, expect, it } from 'vitest';
import { deliveryOf, deliveryProblems, latestDeliveries } from '../../server/mail/outbox.service';
import type { OutboxEntry } from '../../server/mail/outbox.repository';
import { smtpTimeouts } from '../../server/mail/mailer';
import { deliveryPolicyFor } from '../../server/mail/outbox.worker';

function entry(overrides: Partial<OutboxEntry>): OutboxEntry {
  return {
    id: 'm', kind: 'survey-invitation', recipient: 'r@example.com', subject: 'S', messageId: '<m@x>', message: null, actionUrl: null, roundId: 'r', invitationId: 'i',
    status: 'pending', attempts: 0, nextAttemptAt: '2026-12-04T10:00:00.000Z', lastError: null, createdAt: '2026-12-04T10:00:00.000Z', sentAt: null, forgetWhenDone: false,
    ...overrides,
  };
}

describe('delivery states', () => {
  it('name each step of a message', () => {
    expect(deliveryOf(entry({}))).toEqual({ state: 'queued', attempts: 0, nextAttemptAt: '2026-12-04T10:00:00.000Z', lastAnswer: null });
    expect(deliveryOf(entry({ status: 'sending', attempts: 1 })).state).toBe('sending');
    expect(deliveryOf(entry({ attempts: 2, nextAttemptAt: '2026-12-04T10:01:00.000Z', lastError: '451 Try again later' }))).toEqual({ state: 'deferred', attempts: 2, nextAttemptAt: '2026-12-04T10:01:00.000Z', lastAnswer: '451 Try again later' });
    expect(deliveryOf(entry({ status: 'sent', attempts: 3, lastError: null }))).toEqual({ state: 'delivered', attempts: 3, nextAttemptAt: null, lastAnswer: null });
    expect(deliveryOf(entry({ status: 'failed', attempts: 1, lastError: '550 Mailbox unavailable' }))).toEqual({ state: 'failed', attempts: 1, nextAttemptAt: null, lastAnswer: '550 Mailbox unavailable' });
  });

  it('per invitation, follow its latest email; problems list what was deferred or failed', () => {
    const entries = [
      entry({ id: 'a', invitationId: 'i1', status: 'sent', attempts: 1, createdAt: '2026-12-01T09:00:00.000Z' }),
      entry({ id: 'b', invitationId: 'i1', kind: 'survey-reminder', attempts: 1, lastError: '451', createdAt: '2026-12-03T09:00:00.000Z' }),
      entry({ id: 'c', invitationId: 'i2', status: 'failed', attempts: 1, lastError: '550', createdAt: '2026-12-01T09:00:00.000Z' }),
      entry({ id: 'd', invitationId: null, kind: 'report-release', status: 'sent', createdAt: '2026-12-02T09:00:00.000Z' }),
    ];
    const latest = latestDeliveries(entries);
    expect(latest.get('i1')).toMatchObject({ state: 'deferred', kind: 'survey-reminder' });
    expect(latest.get('i2')).toMatchObject({ state: 'failed', lastAnswer: '550' });
    expect(latest.size).toBe(2);
    const problems = deliveryProblems(entries);
    expect(problems).toEqual({
      deferred: [{ lastAnswer: '451', count: 1, recipients: ['r@example.com'], more: 0, nextAttemptAt: '2026-12-04T10:00:00.000Z' }],
      failed: [{ lastAnswer: '550', count: 1, recipients: ['r@example.com'], more: 0, nextAttemptAt: null }],
      counts: { deferred: 1, failed: 1 },
    });
  });

  it('group problems by the server\'s answer, largest first, with the earliest next try and at most ten recipients named', () => {
    const outage = Array.from({ length: 12 }, (_, index) =>
      entry({ id: `o${index}`, recipient: `rater${String(index).padStart(2, '0')}@example.com`, attempts: 2, lastError: '421 Service not available', nextAttemptAt: `2026-12-04T10:${String(30 - index).padStart(2, '0')}:00.000Z` }),
    );
    const problems = deliveryProblems([
      ...outage,
      entry({ id: 'g', recipient: 'grey@example.com', attempts: 1, lastError: '451 Greylisted', nextAttemptAt: '2026-12-04T10:05:00.000Z' }),
      entry({ id: 'x', recipient: 'typo@exampel.com', status: 'failed', attempts: 1, lastError: '550 No such user' }),
      entry({ id: 'y', recipient: 'typo@exampel.com', kind: 'survey-reminder', status: 'failed', attempts: 1, lastError: '550 No such user' }),
      entry({ id: 'ok', status: 'sent', attempts: 1 }),
    ]);
    expect(problems.counts).toEqual({ deferred: 13, failed: 2 });
    expect(problems.deferred.map((group) => [group.lastAnswer, group.count, group.more, group.nextAttemptAt])).toEqual([
      ['421 Service not available', 12, 2, '2026-12-04T10:19:00.000Z'],
      ['451 Greylisted', 1, 0, '2026-12-04T10:05:00.000Z'],
    ]);
    expect(problems.deferred[0]!.recipients).toEqual(Array.from({ length: 10 }, (_, index) => `rater0${index}@example.com`));
    // Two emails to one bad address: the address is named once.
    expect(problems.failed).toEqual([{ lastAnswer: '550 No such user', count: 2, recipients: ['typo@exampel.com'], more: 0, nextAttemptAt: null }]);
  });

  it('wait as long as RFC 5321 lets a server take to accept a message, and claim a message for longer than that', () => {
    expect(smtpTimeouts(600)).toEqual({ connectionTimeout: 30_000, greetingTimeout: 300_000, socketTimeout: 600_000 });
    expect(deliveryPolicyFor(600).leaseSeconds).toBe(660);
    expect(deliveryPolicyFor(45).leaseSeconds).toBeGreaterThan(45);
  });
});
