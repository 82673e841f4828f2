import autocannon from 'autocannon';
import { RemoteBrowser } from '../helpers/remote-browser';
import { freePort } from '../helpers/free-port';
import { createTarget, openTargetDatabase } from './bench-target';
import { LOAD_SECONDS, runLoad, type LoadResult } from './load';
import type { Metrics } from './report-table';
import { sampleRss } from './rss-sampler';
import { SCALE_PLAN, seedScale, type ScalePlan, type ScaleSeed } from './scale-seed';
import { spawnServer, waitForHealthy, type ServerProcess } from './server-process';
import { round } from './timing';

/** Requests per page or API list, one at a time, after WARMUPS unmeasured ones. */
const REQUESTS = 200;
const WARMUPS = 20;
/** Connections of the mixed load under which the event loop's longest stall is read. */
const MIXED_CONNECTIONS = 16;

export interface ScaleOptions {
  smtpUrl: string;
  postgresUrl?: string;
  plan?: ScalePlan;
  /** BENCH_CPU_PROF_DIR: the scale server's CPU profile goes here. */
  cpuProfileDir?: string;
  progress(message: string): void;
  onCleanup(cleanup: () => unknown): void;
}

/** One thing the scale phase times: a page the coach opens or a list the API serves. */
interface Target {
  name: string;
  path: string;
  headers: Record<string, string>;
}

/** The nearest-rank percentile of durations already sorted. */
function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

async function fetchOk(baseUrl: string, target: Pick<Target, 'path' | 'headers'>): Promise<string> {
  const response = await fetch(`${baseUrl}${target.path}`, { headers: target.headers, redirect: 'manual' });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${target.path} answered ${response.status}: ${text.slice(0, 300)}`);
  return text;
}

/** p50 and p99 of `REQUESTS` requests one after the other: the time a coach or an API client waits. */
async function timeTarget(baseUrl: string, target: Target): Promise<{ p50: number; p99: number }> {
  for (let index = 0; index < WARMUPS; index += 1) await fetchOk(baseUrl, target);
  const durations: number[] = [];
  for (let index = 0; index < REQUESTS; index += 1) {
    const started = performance.now();
    await fetchOk(baseUrl, target);
    durations.push(performance.now() - started);
  }
  durations.sort((a, b) => a - b);
  return { p50: percentile(durations, 0.5), p99: percentile(durations, 0.99) };
}

/** The href of the page's "Next page" link, as a browser reads it; undefined on the last page. */
function nextPageLink(html: string): string | undefined {
  const href = /href="([^"]+)"[^>]*>Next page</.exec(html)?.[1];
  return href?.replace(/&#x([0-9a-f]+);/gi, (_entity, hex: string) => String.fromCodePoint(parseInt(hex, 16))).replace(/&amp;/g, '&');
}

/**
 * Every GET of /api/v1 that answers a page of a list (its 200 schema is a `…Page`), read from the
 * server's own OpenAPI description, so a list added later is timed too. `{id}` is the seeded
 * engagement under /engagements and the seeded closed round under /rounds.
 */
async function apiLists(baseUrl: string, seed: ScaleSeed, headers: Record<string, string>): Promise<Target[]> {
  const document = JSON.parse(await fetchOk(baseUrl, { path: '/api/openapi.json', headers: {} })) as {
    paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }> }>>;
  };
  const ids: Record<string, string> = { engagements: seed.engagementId, rounds: seed.reportRoundId };
  return Object.entries(document.paths)
    .filter(([, operations]) => operations.get?.responses?.['200']?.content?.['application/json']?.schema?.$ref?.endsWith('Page'))
    .map(([path]) => ({
      name: `api_${path.replace(/^\/v1\//, '').replace(/\{id\}\//g, '').replace(/\W+/g, '_')}`,
      path: `/api${path.replace('{id}', ids[path.split('/')[2]!] ?? 'unknown')}`,
      headers,
    }));
}

async function eventLoopStall(baseUrl: string, reset: boolean): Promise<number> {
  const stats = JSON.parse(await fetchOk(baseUrl, { path: `/healthz/event-loop${reset ? '?reset' : ''}`, headers: {} })) as { maxMs: number };
  return stats.maxMs;
}

/** The pages and lists together, from MIXED_CONNECTIONS connections, each request the next target in turn. */
async function mixedLoad(server: ServerProcess, targets: Target[]): Promise<LoadResult> {
  let next = 0;
  return runLoad(`scale mix, ${MIXED_CONNECTIONS} connections (${targets.length} pages and lists)`, server.pid, {
    url: server.url,
    connections: MIXED_CONNECTIONS,
    requests: [
      {
        method: 'GET',
        setupRequest: (request: autocannon.Request) => {
          const target = targets[next++ % targets.length]!;
          return { ...request, path: target.path, headers: { ...request.headers, ...target.headers } };
        },
      },
    ],
  });
}

/**
 * The scale phase: a fresh database seeded with SCALE_PLAN through the services (10,000
 * engagements, 2,000 closed rounds, 100,000 responses), the server started on it with
 * EVENT_LOOP_STATS, then p50/p99 of the coach's engagement list (first page, the 200th page, a
 * search that reads every row), an engagement page, a report page and every API list, one request
 * at a time, and the event loop's longest stall meanwhile (the longest any one of them kept every
 * other request waiting); then all of them together from 16 connections, and the longest stall
 * under that (several requests' work can fall between two turns of the loop, see README).
 */
export async function measureScale(options: ScaleOptions): Promise<{ metrics: Metrics; load: LoadResult; notes: string[] }> {
  const plan = options.plan ?? SCALE_PLAN;
  const target = await createTarget({ port: await freePort(), smtpUrl: options.smtpUrl, postgresUrl: options.postgresUrl, env: { EVENT_LOOP_STATS: 'true', API_RATE_LIMIT: '100000' } });
  options.onCleanup(() => target.dispose());
  const handle = await openTargetDatabase(target);
  options.onCleanup(() => handle.close());
  options.progress(`scale: seeding ${plan.engagements} engagements, ${plan.closedRounds} closed rounds, ${plan.closedRounds * plan.respondentsPerRound} responses through the services`);
  const seed = await seedScale(handle, target.config, plan, options.progress);
  await handle.close();

  const server = spawnServer({ env: target.env, url: target.config.publicUrl, cpuProfileDir: options.cpuProfileDir });
  options.onCleanup(() => server.stop());
  const rss = sampleRss(server.pid);
  options.onCleanup(() => rss.stop());
  await waitForHealthy(server, 60_000);
  const browser = await new RemoteBrowser(server.url).signIn(seed.coach.email, seed.coach.password);
  const page = { cookie: [...browser.cookies].map(([name, value]) => `${name}=${value}`).join('; ') };
  const api = { authorization: `Bearer ${seed.apiToken}` };

  // The 200th page of the list (or the last, for a smaller plan), through its Next page links.
  let deepPage = '/engagements';
  for (let pageNumber = 1; pageNumber < 200; pageNumber += 1) {
    const next = nextPageLink(await fetchOk(server.url, { path: deepPage, headers: page }));
    if (!next) break;
    deepPage = next;
  }
  const targets: Target[] = [
    { name: 'engagement_list', path: '/engagements', headers: page },
    { name: 'engagement_list_deep_page', path: deepPage, headers: page },
    { name: 'engagement_list_search', path: `/engagements?q=${seed.rareSearch}`, headers: page },
    { name: 'engagement_page', path: `/engagements/${seed.engagementId}`, headers: page },
    { name: 'report_page', path: `/rounds/${seed.reportRoundId}/report`, headers: page },
    ...(await apiLists(server.url, seed, api)),
  ];

  const metrics: Metrics = { scale_seed_s: round(seed.seconds, 0) };
  await eventLoopStall(server.url, true);
  for (const timed of targets) {
    options.progress(`scale: timing ${timed.path.slice(0, 80)}`);
    const { p50, p99 } = await timeTarget(server.url, timed);
    metrics[`scale_${timed.name}_p50_ms`] = round(p50, 2);
    metrics[`scale_${timed.name}_p99_ms`] = round(p99, 2);
  }
  metrics.scale_stall_ms = round(await eventLoopStall(server.url, true), 1);
  options.progress(`scale: ${MIXED_CONNECTIONS} connections on all of them for ${LOAD_SECONDS} s`);
  const load = await mixedLoad(server, targets);
  server.assertRunning('the scale load');
  metrics.scale_mix_stall_ms = round(await eventLoopStall(server.url, false), 1);
  metrics.scale_mix_rps = round(load.rps, 0);
  metrics.scale_rss_mb = round(rss.peakMb(), 1);
  await server.stop();
  const notes = [`scale: seeded in ${round(seed.seconds, 0)} s; the mixed load's p99 under ${MIXED_CONNECTIONS} connections is ${load.p99Ms} ms`];
  if (server.output()) notes.push(`scale: the server printed (last lines):\n${server.output()}`);
  return { metrics, load, notes };
}
