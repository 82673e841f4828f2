/**
 * `npm run bench`: starts the real server as a child process against a fresh database and a local
 * SMTP sink, seeds through the services, drives load with autocannon and times the report engine,
 * the report page, a 1,000-invitation launch and a cold start. Prints tables, then one JSON line.
 *
 * BENCH_DATABASE_URL=postgres://…  the same against PostgreSQL (a throwaway schema); keys get `pg_`.
 * BENCH_ONLY=submit,get,…          only some phases (engine, static, get, submit, floor, report, launch, cold, scale).
 * BENCH_CPU_PROF_DIR=<dir>         run the server under `node --cpu-prof`, profile written on exit (the
 *                                  scale phase's server into <dir>/scale).
 * BENCH_SUBMIT_ROUNDS=<n>          rounds of 500 links seeded for the submit load (default 40).
 * BENCH_SERVER_ARGS="<node args>"   replaces those of `npm start` (the bundle), to measure a variant.
 * BENCH_SCALE=<e>,<r>,<n>           the scale phase's engagements, closed rounds and responses per round
 *                                  (default 10000,2000,50).
 */
import os from 'node:os';
import path from 'node:path';
import type { DatabaseHandle } from '../../server/db/connect';
import { createTarget, openTargetDatabase } from './bench-target';
import { timeColdStart } from './cold-start';
import { timeLaunch, timeRawSmtp, waitForQuietOutbox } from './email-timing';
import { loadStatic, loadSubmissions, loadSurveyGets, type LoadResult } from './load';
import { surveyPageKb, timeReportPage, timeResponseRows } from './page-timing';
import { timeReportEngine } from './report-engine';
import { jsonLine, loadTable, metricsTable, type Metrics } from './report-table';
import { processCpuMs } from './process-cpu';
import { sampleRss, type RssSampler } from './rss-sampler';
import { DOMAINS, seedBench, type Seed } from './seed';
import { spawnServer, waitForHealthy, type ServerProcess } from './server-process';
import { buildServer } from '../helpers/server-command';
import { RemoteBrowser } from '../helpers/remote-browser';
import { freePort } from '../helpers/free-port';
import { startSmtpSink, type SmtpSink } from './smtp-sink';
import { loadFloorSubmissions } from './floor';
import { measureScale } from './scale';
import { SCALE_PLAN, type ScalePlan } from './scale-seed';
import { round } from './timing';

const PHASES = ['engine', 'static', 'get', 'submit', 'floor', 'report', 'launch', 'cold', 'scale'] as const;
type Phase = (typeof PHASES)[number];
const SERVER_PHASES: Phase[] = ['static', 'get', 'submit', 'report', 'launch'];

const LAUNCH_INVITATIONS = 1000;
const REPORT_RATERS = 100;
const INVITATIONS_PER_ROUND = 500;

const postgresUrl = process.env.BENCH_DATABASE_URL || undefined;
const label = postgresUrl ? 'PostgreSQL' : 'SQLite';
const started = performance.now();
const startLoad = loadAverage();

/** What the phases found: the JSON metrics, the load table, and lines worth reading next to them. */
interface Results {
  metrics: Metrics;
  loads: LoadResult[];
  notes: string[];
  warnings: string[];
}

function selectedPhases(): Set<Phase> {
  const only = process.env.BENCH_ONLY?.split(',').map((phase) => phase.trim()).filter(Boolean);
  if (!only?.length) return new Set(PHASES);
  const unknown = only.filter((phase) => !PHASES.includes(phase as Phase));
  if (unknown.length) throw new Error(`Unknown BENCH_ONLY phase(s): ${unknown.join(', ')}; known: ${PHASES.join(', ')}`);
  return new Set(only as Phase[]);
}

function loadAverage(): string {
  return os.loadavg().map((value) => value.toFixed(2)).join(' ');
}

let serverRss: RssSampler | undefined;

/** Progress goes to stderr so stdout ends with the tables and the JSON line. */
function progress(message: string): void {
  const rss = serverRss ? ` (server RSS ${serverRss.currentMb().toFixed(0)} MiB)` : '';
  process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(1)}s]${rss} ${message}\n`);
}

/** Everything started is registered here and undone in reverse order, on success, failure or Ctrl-C. */
const cleanups: Array<() => Promise<unknown> | unknown> = [];
function onCleanup(cleanup: () => Promise<unknown> | unknown): void {
  cleanups.push(cleanup);
}
async function cleanUp(): Promise<void> {
  while (cleanups.length) {
    try {
      await cleanups.pop()!();
    } catch (error) {
      process.stderr.write(`cleanup failed: ${String(error)}\n`);
    }
  }
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void cleanUp().finally(() => process.exit(130));
  });
}

async function measureReportEngine({ metrics }: Results): Promise<void> {
  progress('timing buildReport (100 and 1000 raters, 80 items)');
  metrics.report_engine_ms_100 = round(await timeReportEngine(100), 3);
  metrics.report_engine_ms_1000 = round(await timeReportEngine(1000), 3);
}

interface Running {
  sink: SmtpSink;
  handle: DatabaseHandle;
  seed: Seed;
  server: ServerProcess;
  rss: RssSampler;
  browser: RemoteBrowser;
}

/**
 * Seeds while the server is not running yet (the links are read from the outbox, see seed.ts),
 * then starts it, watches its memory from the first moment, and signs the coach in.
 */
async function startSeededServer(phases: Set<Phase>): Promise<Running> {
  const sink = await startSmtpSink();
  onCleanup(() => sink.stop());
  const target = await createTarget({ port: await freePort(), smtpUrl: sink.url, postgresUrl, env: { EVENT_LOOP_STATS: 'true' } });
  onCleanup(() => target.dispose());
  const handle = await openTargetDatabase(target);
  onCleanup(() => handle.close());

  const submitRounds = phases.has('submit') ? Number(process.env.BENCH_SUBMIT_ROUNDS ?? 40) : 0;
  progress(`seeding through the services: ${submitRounds} × ${INVITATIONS_PER_ROUND} links to submit, ${INVITATIONS_PER_ROUND} to open, a closed ${REPORT_RATERS}-rater round, a ${LAUNCH_INVITATIONS}-invitation draft`);
  const seed = await seedBench(handle, target.config, {
    submitRounds,
    invitationsPerRound: INVITATIONS_PER_ROUND,
    reportRaters: REPORT_RATERS,
    launchInvitations: LAUNCH_INVITATIONS,
  });

  progress(`starting the server on ${target.config.publicUrl}${process.env.BENCH_CPU_PROF_DIR ? ` (CPU profile to ${process.env.BENCH_CPU_PROF_DIR})` : ''}`);
  const server = spawnServer({ env: target.env, url: target.config.publicUrl, cpuProfileDir: process.env.BENCH_CPU_PROF_DIR });
  onCleanup(() => server.stop());
  const rss = sampleRss(server.pid);
  serverRss = rss;
  onCleanup(() => rss.stop());
  await waitForHealthy(server, 30_000);

  const browser = new RemoteBrowser(target.config.publicUrl);
  await browser.signIn(seed.coach.email, seed.coach.password);
  return { sink, handle, seed, server, rss, browser };
}

/** The event loop's longest delay since the last reading (the server serves it with EVENT_LOOP_STATS). */
async function eventLoopStallMs(server: ServerProcess): Promise<number> {
  const response = await fetch(`${server.url}/healthz/event-loop?reset`);
  return ((await response.json()) as { maxMs: number }).maxMs;
}

async function measureStatic({ server }: Running, results: Results): Promise<void> {
  progress('load: static file');
  const result = await loadStatic(server.url, server.pid);
  server.assertRunning('the static load');
  results.loads.push(result);
  results.metrics.static_rps = round(result.rps, 0);
}

async function measureSurveyPage({ server, seed }: Running, results: Results): Promise<void> {
  const size = await surveyPageKb(server.url, seed.getTokens[0]!);
  results.metrics.survey_html_kb = round(size.kb, 2);
  progress(`survey page: ${size.htmlBytes} B HTML + ${size.cssBytes} B CSS; load: survey GETs`);
  const result = await loadSurveyGets(server.url, server.pid, seed.getTokens);
  server.assertRunning('the survey GET load');
  results.loads.push(result);
  results.metrics.survey_get_rps = round(result.rps, 0);
}

async function measureSubmissions({ server, seed, sink }: Running, results: Results): Promise<void> {
  progress(`load: survey submissions (${seed.submitTokens.length} links)`);
  const cpuBefore = processCpuMs(server.pid) ?? 0;
  const result = await loadSubmissions(server.url, server.pid, seed.submitTokens);
  server.assertRunning('the submit load');
  results.loads.push(result);
  results.metrics.submit_rps = round(result.rps, 0);
  results.metrics.submit_p99_ms = result.p99Ms;
  progress(`waiting for the ${result.ok} thank-you messages to leave the outbox`);
  try {
    await waitForQuietOutbox(sink, DOMAINS.submit, result.ok, 60_000);
  } catch {
    results.warnings.push(`only ${sink.count(DOMAINS.submit)} of ${result.ok} thank-you messages arrived within 60 s of the submit load`);
  }
  // Most thank-you messages leave after the 10 s window; this counts their delivery too.
  const cpuMs = (processCpuMs(server.pid) ?? cpuBefore) - cpuBefore;
  results.notes.push(`server CPU per submission including its thank-you delivery: ${round((cpuMs * 1000) / Math.max(1, result.ok), 0)} µs`);
}

async function measureReportPage(running: Running, { metrics }: Results): Promise<void> {
  progress('timing the report page and its rows');
  metrics.report_page_ms = round(await timeReportPage(running.browser, running.seed.reportRoundId), 2);
  metrics.report_rows_ms = round(await timeResponseRows(running.handle, running.seed.reportRoundId), 2);
}

async function measureEmail(running: Running, results: Results): Promise<void> {
  progress(`launching a ${LAUNCH_INVITATIONS}-invitation round through the server`);
  const launch = await timeLaunch(running.browser, running.sink, running.seed.launchRoundId, LAUNCH_INVITATIONS, 90_000);
  running.server.assertRunning('the launch');
  results.metrics.launch_1000_s = round(launch.seconds, 3);
  if (launch.warning) results.warnings.push(`launch: ${launch.warning}`);
  const requestSeconds = launch.requestSeconds ?? 0;
  results.notes.push(`launch: the Launch request took ${round(requestSeconds, 3)} s, delivery the remaining ${round(launch.seconds - requestSeconds, 3)} s`);
  progress(`sending ${LAUNCH_INVITATIONS} messages with bare nodemailer`);
  const raw = await timeRawSmtp(running.sink, running.seed.sampleMessage, LAUNCH_INVITATIONS);
  results.metrics.raw_smtp_1000_s = round(raw.seconds, 3);
}

/** Every phase that needs the seeded server, in an order where none disturbs the next. */
async function measureWithServer(phases: Set<Phase>, results: Results): Promise<void> {
  const running = await startSeededServer(phases);
  if (phases.has('static')) await measureStatic(running, results);
  await eventLoopStallMs(running.server);
  if (phases.has('get')) await measureSurveyPage(running, results);
  if (phases.has('submit')) await measureSubmissions(running, results);
  if (phases.has('get') || phases.has('submit')) results.metrics.stall_ms = round(await eventLoopStallMs(running.server), 1);
  if (phases.has('report')) await measureReportPage(running, results);
  if (phases.has('launch')) await measureEmail(running, results);
  results.metrics.rss_mb = round(running.rss.peakMb(), 1);
  progress('stopping the server');
  await running.server.stop();
  serverRss = undefined;
  // LOG_LEVEL=warn: anything the server printed is worth seeing next to the numbers.
  if (running.server.output()) progress(`the server printed (last lines):\n${running.server.output()}`);
}

/**
 * The floor under submissions, on the same machine in the same run: floor-server.ts under the same
 * submit load (after the server has stopped, so the two never share the cores).
 */
async function measureFloor(results: Results): Promise<void> {
  const links = Number(process.env.BENCH_SUBMIT_ROUNDS ?? 40) * INVITATIONS_PER_ROUND;
  progress(`load: survey submissions on the floor (a bare route with the same transaction, ${links} links)`);
  const result = await loadFloorSubmissions(links, onCleanup);
  results.loads.push(result);
  results.metrics.floor_submit_rps = round(result.rps, 0);
  if (results.metrics.submit_rps !== undefined) results.metrics.submit_floor_ratio = round(results.metrics.submit_rps / result.rps, 2);
}

function scalePlan(): ScalePlan {
  const [engagements, closedRounds, respondentsPerRound] = (process.env.BENCH_SCALE ?? '').split(',').map(Number);
  if (!process.env.BENCH_SCALE) return SCALE_PLAN;
  if (![engagements, closedRounds, respondentsPerRound].every((value) => Number.isInteger(value) && value! > 0)) throw new Error('BENCH_SCALE is <engagements>,<closed rounds>,<responses per round>');
  return { engagements: engagements!, closedRounds: closedRounds!, respondentsPerRound: respondentsPerRound! };
}

async function measureAtScale(results: Results): Promise<void> {
  const sink = await startSmtpSink();
  onCleanup(() => sink.stop());
  const cpuProfileDir = process.env.BENCH_CPU_PROF_DIR ? path.join(process.env.BENCH_CPU_PROF_DIR, 'scale') : undefined;
  const scale = await measureScale({ smtpUrl: sink.url, postgresUrl, plan: scalePlan(), cpuProfileDir, progress, onCleanup });
  Object.assign(results.metrics, scale.metrics);
  results.loads.push(scale.load);
  results.notes.push(...scale.notes);
}

async function measureColdStart({ metrics }: Results): Promise<void> {
  progress('cold start on an empty data directory (median of 3)');
  const sink = await startSmtpSink();
  onCleanup(() => sink.stop());
  metrics.cold_start_ms = round(await timeColdStart(sink.url, postgresUrl, onCleanup), 1);
}

function printResults({ metrics, loads, notes, warnings }: Results): void {
  // The two cores are shared by the server, autocannon and anything else running: a busy machine shows here first.
  const machine = `machine: ${os.cpus().length} cores, load average ${loadAverage()} at the end (${startLoad} at the start)`;
  const sections = [machine, loads.length ? loadTable(loads) : '', notes.join('\n'), metricsTable(metrics, label), ...warnings.map((warning) => `warning: ${warning}`)];
  process.stdout.write(`\n${sections.filter(Boolean).join('\n\n')}\n\n${jsonLine(metrics, postgresUrl ? 'pg_' : '')}\n`);
}

async function main(): Promise<void> {
  const phases = selectedPhases();
  const results: Results = { metrics: {}, loads: [], notes: [], warnings: [] };
  // The engine runs first, alone: nothing else of ours is using the CPU yet.
  if (phases.has('engine')) await measureReportEngine(results);
  if (SERVER_PHASES.some((phase) => phases.has(phase)) || phases.has('cold') || phases.has('scale')) {
    progress('building dist/server.mjs as npm start does');
    buildServer();
  }
  if (SERVER_PHASES.some((phase) => phases.has(phase))) await measureWithServer(phases, results);
  if (phases.has('floor')) await measureFloor(results);
  if (phases.has('cold')) await measureColdStart(results);
  if (phases.has('scale')) await measureAtScale(results);
  await cleanUp();
  progress(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  printResults(results);
}

main().then(
  () => process.exit(0),
  async (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    await cleanUp();
    process.exit(1);
  },
);
