import type { LoadResult } from './load';
import { round } from './timing';

export type Metrics = Record<string, number>;

interface Target {
  key: string;
  label: string;
  describe: string;
  met(metrics: Metrics): boolean | undefined;
}

/** Targets that apply to every metric whose key matches (the scale phase times a page or list per key). */
interface PatternTarget {
  pattern: RegExp;
  label(key: string): string;
  describe: string;
  met(value: number): boolean | undefined;
}

const has = (metrics: Metrics, ...keys: string[]) => keys.every((key) => Number.isFinite(metrics[key]));
const when = (metrics: Metrics, keys: string[], check: () => boolean) => (has(metrics, ...keys) ? check() : undefined);

/** The targets, as stated for SQLite on two cores; PostgreSQL runs are shown against the same numbers for comparison. */
const TARGETS: Target[] = [
  { key: 'submit_rps', label: 'survey submissions/s', describe: '≥ 1500', met: (m) => when(m, ['submit_rps'], () => m.submit_rps! >= 1500) },
  { key: 'submit_p99_ms', label: 'submission p99 (ms)', describe: '≤ 50', met: (m) => when(m, ['submit_p99_ms'], () => m.submit_p99_ms! <= 50) },
  { key: 'survey_get_rps', label: 'survey page GETs/s', describe: '≥ 3000', met: (m) => when(m, ['survey_get_rps'], () => m.survey_get_rps! >= 3000) },
  { key: 'static_rps', label: 'static file GETs/s (ceiling)', describe: 'reference', met: () => undefined },
  { key: 'survey_html_kb', label: 'survey page + CSS (KiB)', describe: '≤ 40', met: (m) => when(m, ['survey_html_kb'], () => m.survey_html_kb! <= 40) },
  { key: 'report_engine_ms_100', label: 'buildReport, 100 raters (ms)', describe: '≤ 10', met: (m) => when(m, ['report_engine_ms_100'], () => m.report_engine_ms_100! <= 10) },
  {
    key: 'report_engine_ms_1000',
    label: 'buildReport, 1000 raters (ms)',
    describe: '≤ 12 × 100-rater time',
    met: (m) => when(m, ['report_engine_ms_100', 'report_engine_ms_1000'], () => m.report_engine_ms_1000! <= 12 * m.report_engine_ms_100!),
  },
  { key: 'report_rows_ms', label: 'read 100 responses (ms, floor)', describe: 'reference', met: () => undefined },
  {
    key: 'report_page_ms',
    label: 'report page, 100 raters (ms)',
    describe: '≤ 3 × rows + 20',
    met: (m) => when(m, ['report_page_ms', 'report_rows_ms'], () => m.report_page_ms! <= 3 * m.report_rows_ms! + 20),
  },
  { key: 'raw_smtp_1000_s', label: 'bare nodemailer, 1000 msgs (s)', describe: 'reference', met: () => undefined },
  {
    key: 'launch_1000_s',
    label: 'launch → 1000 invitations (s)',
    describe: '≤ 1.5 × bare nodemailer',
    met: (m) => when(m, ['launch_1000_s', 'raw_smtp_1000_s'], () => m.launch_1000_s! <= 1.5 * m.raw_smtp_1000_s!),
  },
  { key: 'floor_submit_rps', label: 'floor: bare route, same transaction (submissions/s)', describe: 'reference', met: () => undefined },
  {
    key: 'submit_floor_ratio',
    label: 'submissions/s as a share of the floor',
    describe: '≥ 0.6',
    met: (m) => when(m, ['submit_floor_ratio'], () => m.submit_floor_ratio! >= 0.6),
  },
  { key: 'stall_ms', label: 'longest event-loop stall, GET and submit loads (ms)', describe: 'reference', met: () => undefined },
  { key: 'rss_mb', label: 'server peak RSS (MiB)', describe: '≤ 150', met: (m) => when(m, ['rss_mb'], () => m.rss_mb! <= 150) },
  { key: 'cold_start_ms', label: 'cold start to /healthz (ms)', describe: '≤ 1500', met: (m) => when(m, ['cold_start_ms'], () => m.cold_start_ms! <= 1500) },
];

const PATTERN_TARGETS: PatternTarget[] = [
  { pattern: /^scale_seed_s$/, label: () => 'scale: seeding through the services (s)', describe: 'reference', met: () => undefined },
  { pattern: /^scale_.+_p50_ms$/, label: (key) => `scale: ${key.slice(6, -7).replace(/_/g, ' ')} p50 (ms)`, describe: 'reference', met: () => undefined },
  { pattern: /^scale_.+_p99_ms$/, label: (key) => `scale: ${key.slice(6, -7).replace(/_/g, ' ')} p99 (ms)`, describe: '≤ 50', met: (value) => value <= 50 },
  { pattern: /^scale_mix_rps$/, label: () => 'scale: all of them, 16 connections (2xx/s)', describe: 'reference', met: () => undefined },
  { pattern: /^scale_stall_ms$/, label: () => 'scale: longest event-loop stall, one request at a time (ms)', describe: '≤ 50', met: (value) => value <= 50 },
  { pattern: /^scale_mix_stall_ms$/, label: () => 'scale: longest event-loop stall, 16 connections (ms)', describe: 'reference', met: () => undefined },
  { pattern: /^scale_rss_mb$/, label: () => 'scale: server peak RSS (MiB)', describe: 'reference', met: () => undefined },
];

function pad(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ')).join('\n');
}

export function loadTable(results: LoadResult[]): string {
  const rows = [['load (10 s, 32 connections unless named)', '2xx/s', 'p50 ms', 'p99 ms', 'server CPU µs/2xx', '2xx', 'non-2xx', 'errors', 'timeouts', 'statuses']];
  for (const result of results) {
    rows.push([
      result.name,
      String(round(result.rps, 0)),
      String(result.p50Ms),
      String(result.p99Ms),
      String(round(result.serverCpuUsPerRequest, 0)),
      String(result.ok),
      String(result.non2xx),
      String(result.errors),
      String(result.timeouts),
      result.statuses,
    ]);
  }
  const warnings = results.filter((result) => result.warning).map((result) => `  warning: ${result.name}: ${result.warning}`);
  return [pad(rows), ...warnings].join('\n');
}

const verdict = (met: boolean | undefined) => (met === undefined ? '' : met ? 'yes' : 'NO');

export function metricsTable(metrics: Metrics, label: string): string {
  const rows = [[`metric (${label})`, 'value', 'target', 'met']];
  for (const target of TARGETS) {
    if (!(target.key in metrics)) continue;
    rows.push([`${target.label} [${target.key}]`, String(metrics[target.key]), target.describe, verdict(target.met(metrics))]);
  }
  for (const [key, value] of Object.entries(metrics)) {
    const target = PATTERN_TARGETS.find((candidate) => candidate.pattern.test(key));
    if (target) rows.push([`${target.label(key)} [${key}]`, String(value), target.describe, verdict(target.met(value))]);
  }
  return pad(rows);
}

/** The machine-readable last line: numeric keys only, prefixed `pg_` on PostgreSQL. */
export function jsonLine(metrics: Metrics, prefix: string): string {
  return JSON.stringify(Object.fromEntries(Object.entries(metrics).map(([key, value]) => [`${prefix}${key}`, value])));
}
