import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig, type Config } from '../../server/config';
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../../server/db/connect';

/** Where one server start keeps its data: a fresh temporary DATA_DIR and, on PostgreSQL, a fresh schema. */
export interface BenchTarget {
  env: Record<string, string>;
  config: Config;
  dataDir: string;
  /** Removes the schema and the folder; safe to call twice. */
  dispose(): Promise<void>;
}

export interface TargetOptions {
  port: number;
  smtpUrl: string;
  /** BENCH_DATABASE_URL: PostgreSQL instead of SQLite. */
  postgresUrl?: string;
  /** More of the server's environment (EVENT_LOOP_STATS, API_RATE_LIMIT…). */
  env?: Record<string, string>;
}

async function runAdminQuery(url: string, query: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(query);
  } finally {
    await client.end();
  }
}

/**
 * The server reads only DATABASE_URL, so the schema travels inside it: pg passes `options` to the
 * backend, and `-c search_path=<schema>` makes every unqualified table name resolve there.
 */
function urlWithSearchPath(url: string, schema: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
}

export async function createTarget(options: TargetOptions): Promise<BenchTarget> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'threesixty-bench-'));
  const schema = options.postgresUrl ? `bench_${randomBytes(6).toString('hex')}` : undefined;
  if (options.postgresUrl && schema) await runAdminQuery(options.postgresUrl, `create schema ${schema}`);
  const url = `http://127.0.0.1:${options.port}`;
  const env: Record<string, string> = {
    PORT: String(options.port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    PUBLIC_URL: url,
    SMTP_URL: options.smtpUrl,
    LOG_LEVEL: 'warn',
    // Invitations go as soon as they are queued: launch_1000_s times the delivery pipeline, not the
    // deployed wait that lets a person's emails be combined (SURVEY_EMAIL_HOLD_SECONDS, server/portal).
    SURVEY_EMAIL_HOLD_SECONDS: '0',
    ...options.env,
    ...(options.postgresUrl && schema ? { DATABASE_URL: urlWithSearchPath(options.postgresUrl, schema) } : {}),
  };
  let disposed = false;
  return {
    env,
    config: loadConfig(env),
    dataDir,
    async dispose() {
      if (disposed) return;
      disposed = true;
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (options.postgresUrl && schema) await runAdminQuery(options.postgresUrl, `drop schema if exists ${schema} cascade`);
    },
  };
}

/** The same database the server uses, opened from the bench process through the server's own code. */
export async function openTargetDatabase(target: BenchTarget): Promise<DatabaseHandle> {
  const handle = openDatabase(target.config.database);
  await migrateToLatest(handle);
  return handle;
}
