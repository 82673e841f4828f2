import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Coach } from '../../server/auth/coach';
import { coachForSession, issueSetupToken, logIn, startSession } from '../../server/auth/auth.service';
import { acceptCoachInvitation, inviteCoach } from '../../server/coaches/coaches.service';
import { mailContext } from '../../server/http/mail-context';
import { FixedWindowLimit } from '../../server/http/rate-limit';
import { runHousekeeping, startBackgroundJobs } from '../../server/jobs/scheduler';
import { DATABASE_KINDS } from '../helpers/databases';
import { secondInstance } from '../helpers/second-instance';
import { createCoach, createTestContext, type TestContext } from '../helpers/test-app';

const NOTHING = { sessions: 0, loginFailures: 0, setupTokens: 0, coachInvitations: 0, rateLimitWindows: 0 };

describe.each(DATABASE_KINDS)('housekeeping (%s)', (kind) => {
  let context: TestContext;
  let admin: Coach;

  beforeAll(async () => {
    context = await createTestContext(kind);
  });
  afterAll(() => context.close());

  async function invitationToken(email: string): Promise<string> {
    const row = await context.db.selectFrom('outbox').select('action_url').where('recipient', '=', email).executeTakeFirstOrThrow();
    return row.action_url!.split('/').pop()!;
  }

  const count = async (table: 'sessions' | 'login_failures' | 'setup_tokens' | 'coach_invitations' | 'rate_limit_windows') =>
    Number((await context.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('deletes what has expired, keeps what still works, and finds nothing more on a second run', async () => {
    // Day 0: the server starts with no account, so a setup link exists; then the administrator is created.
    expect(await issueSetupToken(context.db, context.clock)).not.toBeNull();
    admin = await createCoach(context, { isAdmin: true });
    const mail = mailContext(context.deps);
    const expiredSession = await startSession(context.db, context.clock, admin.id, 14);
    await inviteCoach(context.db, mail, admin, 'expired.invitation@example.com');
    await inviteCoach(context.db, mail, admin, 'accepted.invitation@example.com');
    await acceptCoachInvitation(context.db, context.clock, await invitationToken('accepted.invitation@example.com'), { name: 'Accepted', password: 'a long enough password' });

    // Day 10: a newer session and a newer invitation.
    context.clock.advanceDays(10);
    const liveSession = await startSession(context.db, context.clock, admin.id, 14);
    await inviteCoach(context.db, mail, admin, 'open.invitation@example.com');

    // Day 15: the first session and invitation have expired. One failed sign-in 20 minutes ago and
    // one 5 minutes ago; a rate-limit window that ended a minute ago and one still running.
    context.clock.advanceDays(5);
    context.clock.advanceMinutes(-20);
    expect(await logIn(context.db, context.clock, { email: admin.email, password: 'wrong', ip: '198.51.100.1' }, 14)).toBeNull();
    context.clock.advanceMinutes(15);
    expect(await logIn(context.db, context.clock, { email: admin.email, password: 'wrong', ip: '198.51.100.1' }, 14)).toBeNull();
    context.clock.advanceMinutes(5);
    const limit = new FixedWindowLimit('housekeeping-test', 10, 60_000);
    await limit.hit(context.db, 'ended', new Date(context.clock.now().getTime() - 61_000));
    await limit.hit(context.db, 'running', context.clock.now());

    expect(await runHousekeeping(context.deps)).toEqual({ sessions: 1, loginFailures: 1, setupTokens: 1, coachInvitations: 1, rateLimitWindows: 1 });

    expect(await coachForSession(context.db, context.clock, expiredSession)).toBeUndefined();
    expect((await coachForSession(context.db, context.clock, liveSession))?.id).toBe(admin.id);
    expect(await count('sessions')).toBe(1);
    expect(await context.db.selectFrom('login_failures').select('ip').execute()).toEqual([{ ip: '198.51.100.1' }]);
    expect(await count('setup_tokens')).toBe(0);
    const invitations = await context.db.selectFrom('coach_invitations').select('email').orderBy('email').execute();
    expect(invitations.map((invitation) => invitation.email)).toEqual(['accepted.invitation@example.com', 'open.invitation@example.com']);
    expect(await context.db.selectFrom('rate_limit_windows').select('key').execute()).toEqual([{ key: 'running' }]);

    expect(await runHousekeeping(context.deps)).toEqual(NOTHING);
  });

  it('runs on two instances at once without deleting anything twice or failing', async () => {
    const second = await secondInstance(context);
    try {
      for (let index = 0; index < 5; index += 1) await startSession(context.db, context.clock, admin.id, 1);
      context.clock.advanceDays(2);
      const [one, other] = await Promise.all([runHousekeeping(context.deps), runHousekeeping(second.deps)]);
      expect(one.sessions + other.sessions).toBe(5);
      // The session of day 10 lasts until day 24.
      expect(await count('sessions')).toBe(1);
      expect(await runHousekeeping(second.deps)).toEqual(NOTHING);
    } finally {
      await second.close();
    }
  });

  it('is one of the background jobs, run when the server starts', async () => {
    await startSession(context.db, context.clock, admin.id, 1);
    context.clock.advanceDays(2);
    expect(await count('sessions')).toBe(2);
    const jobs = startBackgroundJobs(context.deps);
    try {
      await vi.waitFor(async () => expect(await count('sessions')).toBe(1));
    } finally {
      jobs.stop();
    }
  });
});
