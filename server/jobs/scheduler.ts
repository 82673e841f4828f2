import { deleteExpiredSignInRecords } from '../auth/auth.service';
import { deleteExpiredInvitations } from '../coaches/coaches.service';
import type { AppDeps } from '../http/context';
import { mailContext } from '../http/mail-context';
import { deleteEndedRateLimitWindows } from '../http/rate-limit';
import { deliverDueMessages, deliveryPolicyFor } from '../mail/outbox.worker';
import { closeOverdueRounds, sendDueReminders } from './round-schedule';
import { eraseExpiredRaterData } from '../privacy/privacy.service';
import { mixNewResponses } from '../survey/survey.service';

export interface BackgroundJobs {
  stop(): void;
}

type Job = () => Promise<unknown>;

/**
 * Runs each job on an interval in this process, never two runs of the same job at once. With
 * several server instances every instance runs them; the jobs are written to be safe under that
 * (claims with leases, conditional updates).
 */
export function startBackgroundJobs(deps: AppDeps, jobs: Record<string, { run: Job; everyMs: number }> = defaultJobs(deps)): BackgroundJobs {
  const running = new Set<string>();
  const again = new Set<string>();
  const launch = (name: string) => {
    if (running.has(name)) {
      again.add(name);
      return;
    }
    running.add(name);
    jobs[name]!
      .run()
      .catch((error: unknown) => deps.logger.error(`Background job ${name} failed`, { error }))
      .finally(() => {
        running.delete(name);
        if (again.delete(name)) launch(name);
      });
  };
  const timers = Object.entries(jobs).map(([name, job]) => setInterval(() => launch(name), job.everyMs));
  for (const name of Object.keys(jobs)) launch(name);
  const unsubscribe = deps.outbox.onWake(() => launch('outbox'));
  return {
    stop: () => {
      timers.forEach(clearInterval);
      unsubscribe();
    },
  };
}

function defaultJobs(deps: AppDeps): Record<string, { run: Job; everyMs: number }> {
  return {
    outbox: { run: () => deliverDueMessages(deps, deliveryPolicyFor(deps.config.smtpTimeoutSeconds)), everyMs: 2000 },
    rounds: { run: () => runRoundSchedule(deps), everyMs: 60_000 },
    responses: { run: () => mixNewResponses(deps.db), everyMs: 1000 },
    retention: { run: () => runRetention(deps), everyMs: 60 * 60_000 },
    housekeeping: { run: () => runHousekeeping(deps), everyMs: 60 * 60_000 },
  };
}

/** Closes rounds whose deadline passed and sends the automatic reminders that are due. */
export async function runRoundSchedule(deps: AppDeps): Promise<{ closed: number; reminded: number }> {
  const closed = await closeOverdueRounds(deps.db, deps.clock);
  const reminded = await sendDueReminders(deps.db, mailContext(deps), deps.config.reminderDaysBeforeDeadline);
  if (reminded > 0) deps.outbox.wake();
  return { closed, reminded };
}

/**
 * Deletes what has expired and can never be used again: sessions, sign-in failures too old to
 * count, setup links once an account exists, coach invitations that ran out, ended rate-limit
 * windows. Each is one conditional DELETE, so a second run, or a run on another instance at the
 * same moment, finds nothing more to delete.
 */
export async function runHousekeeping(deps: Pick<AppDeps, 'db' | 'clock'>): Promise<{ sessions: number; loginFailures: number; setupTokens: number; coachInvitations: number; rateLimitWindows: number }> {
  const signIn = await deleteExpiredSignInRecords(deps.db, deps.clock);
  return {
    ...signIn,
    coachInvitations: await deleteExpiredInvitations(deps.db, deps.clock),
    rateLimitWindows: await deleteEndedRateLimitWindows(deps.db, deps.clock.now()),
  };
}

/** Erases the raters' personal data of engagements archived RETENTION_DAYS ago, and says how much. */
export async function runRetention(deps: Pick<AppDeps, 'db' | 'clock' | 'config' | 'logger'>) {
  const tally = await eraseExpiredRaterData(deps.db, deps.clock, deps.config.retentionDays);
  if (tally.engagements > 0) deps.logger.info('Retention: erased the raters\' personal data of archived engagements', { ...tally });
  return tally;
}
