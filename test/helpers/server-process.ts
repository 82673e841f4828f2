import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from './free-port';
import { PROJECT_ROOT, startArguments } from './server-command';

/** Where a server process finds its database: SQLite lives in DATA_DIR, PostgreSQL is a URL plus schema. */
export type ServerDatabase = { kind: 'sqlite' } | { kind: 'postgres'; url: string; schema: string };

/**
 * DATABASE_URL for a PostgreSQL schema: node-postgres sends `options` as a startup parameter, so
 * every connection of the server's pool starts with that schema first on its search_path.
 */
export function databaseUrlFor(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('options', `-c search_path=${schema}`);
  return parsed.toString();
}

export interface ServerProcess {
  url: string;
  port: number;
  dataDir: string;
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Lines the server logged at ERROR level (an unhandled error is a 500). */
  errors(): string[];
  /** SIGKILL: no shutdown handler runs, open transactions and claims are simply abandoned. */
  kill(): Promise<void>;
  /** SIGTERM, the orderly shutdown; resolves once the process has exited. */
  stop(): Promise<void>;
  exited: Promise<number | null>;
}

export interface ServerOptions {
  dataDir: string;
  database: ServerDatabase;
  /** Keep the same port across a restart so links in sent emails stay valid. */
  port?: number;
  smtpUrl?: string;
  env?: Record<string, string>;
}

/**
 * Starts the real server as `npm start` runs it (the bundle built by the suite's global setup) as a
 * child process with the given DATA_DIR and database, and resolves once /healthz answers 200.
 */
export async function startServerProcess(options: ServerOptions): Promise<ServerProcess> {
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: url,
    DATA_DIR: options.dataDir,
    LOG_LEVEL: 'warn',
    // Survey emails at once: these servers run on the real clock, and the hold is test/portal's subject.
    SURVEY_EMAIL_HOLD_SECONDS: '0',
    ...(options.database.kind === 'postgres' ? { DATABASE_URL: databaseUrlFor(options.database.url, options.database.schema) } : {}),
    ...(options.smtpUrl ? { SMTP_URL: options.smtpUrl } : {}),
    ...options.env,
  };
  const child = spawn(process.execPath, startArguments(), { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let alive = true;
  void exited.then(() => (alive = false));

  const started = Date.now();
  for (;;) {
    if (!alive) throw new Error(`The server exited during start:\n${output}`);
    if (Date.now() - started > 30_000) {
      child.kill('SIGKILL');
      throw new Error(`The server did not answer /healthz within 30 s:\n${output}`);
    }
    const ready = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) }).then(
      (response) => response.status === 200,
      () => false,
    );
    if (ready) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  return {
    url,
    port,
    dataDir: options.dataDir,
    child,
    exited,
    output: () => output,
    errors: () => output.split('\n').filter((line) => / ERROR /.test(line)).map((line) => line.slice(0, 400)),
    async kill() {
      if (alive) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (alive) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Polls `check` until it returns a truthy value (returned) or the time is up (throws with `what`). */
export async function waitUntil<T>(what: string, check: () => Promise<T> | T, timeoutMs = 20_000, everyMs = 25): Promise<Exclude<T, false | null | undefined | 0 | ''>> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value as Exclude<T, false | null | undefined | 0 | ''>;
    if (Date.now() - started > timeoutMs) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
