import type { AppDeps } from '../http/context';
import { deliverDueMessages } from '../mail/outbox.worker';

export interface BackgroundJobs {
  /** Run the outbox now instead of at the next tick (after something queued email). */
  wake(): void;
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
  return {
    wake: () => launch('outbox'),
    stop: () => timers.forEach(clearInterval),
  };
}

function defaultJobs(deps: AppDeps): Record<string, { run: Job; everyMs: number }> {
  return {
    outbox: { run: () => deliverDueMessages(deps), everyMs: 2000 },
  };
}
