import autocannon from 'autocannon';
import { processCpuMs } from './process-cpu';
import { seededRandom } from '../../reports/random';
import { ITEM_IDS, OPEN_QUESTION_IDS, randomAnswers } from './seed';

export const LOAD_CONNECTIONS = 32;
export const LOAD_SECONDS = 10;

export interface LoadResult {
  name: string;
  /** Successful (2xx) responses per second. */
  rps: number;
  p50Ms: number;
  p99Ms: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Status code counts, e.g. "200×5120 409×3". */
  statuses: string;
  /**
   * Server CPU (user + system) per successful request, in µs. Unlike requests per second it hardly
   * moves when something else competes for the two cores, so it is the number to compare fixes by.
   */
  serverCpuUsPerRequest: number;
  /** Connection errors by kind, or the run used more links than were seeded (later requests repeated links). */
  warning?: string;
}

function describeStatuses(result: autocannon.Result): string {
  return Object.entries(result.statusCodeStats ?? {})
    .map(([status, { count }]) => `${status}×${count ?? 0}`)
    .join(' ');
}

/**
 * One autocannon run. Throughput counts 2xx only (autocannon's own req/s counts every answer), and
 * its latency histogram already records 2xx answers only.
 */
export async function runLoad(name: string, serverPid: number, options: autocannon.Options): Promise<LoadResult> {
  const errorKinds = new Map<string, number>();
  const cpuBefore = processCpuMs(serverPid) ?? 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ connections: LOAD_CONNECTIONS, duration: LOAD_SECONDS, ...options }, (error, finished) => (error ? reject(error) : resolve(finished)));
    // autocannon only counts connection errors; their kinds say whether the server or the client failed.
    instance.on('reqError', (error: Error & { code?: string }) => {
      const kind = error.code ?? error.message;
      errorKinds.set(kind, (errorKinds.get(kind) ?? 0) + 1);
    });
  });
  const ok = result['2xx'];
  const cpuMs = (processCpuMs(serverPid) ?? cpuBefore) - cpuBefore;
  return {
    name,
    rps: ok / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statuses: describeStatuses(result),
    serverCpuUsPerRequest: ok ? (cpuMs * 1000) / ok : Number.NaN,
    ...(errorKinds.size ? { warning: `connection errors: ${[...errorKinds].map(([kind, count]) => `${kind}×${count}`).join(', ')}` } : {}),
  };
}

/** The server's own ceiling: a small file answered from memory. */
export function loadStatic(baseUrl: string, serverPid: number): Promise<LoadResult> {
  return runLoad('GET /static/favicon.svg', serverPid, { url: `${baseUrl}/static/favicon.svg` });
}

/** Hands out links in order; counts how many were asked for so a too-small seed is reported, not hidden. */
function linkDispenser(tokens: string[]): { next(): string; used(): number } {
  let used = 0;
  return {
    next: () => tokens[used++ % tokens.length]!,
    used: () => used,
  };
}

/** Opening a survey: GETs cycling over a pool of unanswered links. */
export async function loadSurveyGets(baseUrl: string, serverPid: number, tokens: string[]): Promise<LoadResult> {
  const links = linkDispenser(tokens);
  return runLoad('GET /s/<token>', serverPid, {
    url: baseUrl,
    requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: `/s/${links.next()}` }) }],
  });
}

/** A fixed CSRF value: the server only checks that the form field equals the cookie and looks like a token. */
const BENCH_CSRF = 'benchbenchbenchbenchbenchbenchbenchbench123';

/** A complete, valid 40-item submission as the survey form posts it. */
export function submissionBody(random: () => number): string {
  const answers = randomAnswers(random);
  const fields = new URLSearchParams({ _csrf: BENCH_CSRF, intent: 'submit', notice: 'read' });
  for (const id of ITEM_IDS) fields.set(`r.${id}`, answers.ratings[id] === null ? 'na' : String(answers.ratings[id]));
  for (const id of OPEN_QUESTION_IDS) if (answers.comments[id]) fields.set(`c.${id}`, answers.comments[id]!);
  return fields.toString();
}

/**
 * Survey submissions, each through its own unused link. Bodies are built before the run (a few
 * dozen variants) so the bench process spends its CPU on sending, not on building forms.
 */
export async function loadSubmissions(baseUrl: string, serverPid: number, tokens: string[]): Promise<LoadResult> {
  const random = seededRandom('bench load');
  const bodies = Array.from({ length: 64 }, () => submissionBody(random));
  const links = linkDispenser(tokens);
  const result = await runLoad('POST /s/<token> (submit)', serverPid, {
    url: baseUrl,
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: baseUrl, cookie: `csrf=${BENCH_CSRF}` },
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => ({ ...request, path: `/s/${links.next()}`, body: bodies[links.used() % bodies.length]! }),
      },
    ],
  });
  if (links.used() > tokens.length) result.warning = [result.warning, `ran out of links: ${links.used()} requests for ${tokens.length} seeded links`].filter(Boolean).join('; ');
  return result;
}
