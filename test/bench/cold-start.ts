import { createTarget } from './bench-target';
import { spawnServer, waitForHealthy } from './server-process';
import { freePort } from '../helpers/free-port';
import { elapsedMs, median } from './timing';

/**
 * Process start to the first 200 from /healthz, on an empty DATA_DIR (and an empty schema on
 * PostgreSQL): migrations, the built-in questionnaire, templates and static files all happen here.
 */
async function timeOneColdStart(smtpUrl: string, postgresUrl: string | undefined, register: (cleanup: () => Promise<void>) => void): Promise<number> {
  const port = await freePort();
  const target = await createTarget({ port, smtpUrl, postgresUrl });
  register(() => target.dispose());
  const start = performance.now();
  const server = spawnServer({ env: target.env, url: `http://127.0.0.1:${port}` });
  register(() => server.stop());
  try {
    await waitForHealthy(server, 30_000);
    return elapsedMs(start);
  } finally {
    await server.stop();
    await target.dispose();
  }
}

/** The median of a few starts: one start is a single sample, easily doubled by whatever else the machine does. */
export async function timeColdStart(smtpUrl: string, postgresUrl: string | undefined, register: (cleanup: () => Promise<void>) => void, starts = 3): Promise<number> {
  const durations: number[] = [];
  for (let index = 0; index < starts; index += 1) durations.push(await timeOneColdStart(smtpUrl, postgresUrl, register));
  return median(durations);
}
