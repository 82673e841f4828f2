import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { PROJECT_ROOT, startArguments } from '../helpers/server-command';
import { sleep } from './timing';

/** Variables the server's config reads; never inherited from the shell, so a stray DATABASE_URL cannot leak in. */
const CONFIG_VARIABLES = [
  'PORT',
  'HOST',
  'DATA_DIR',
  'DATABASE_URL',
  'PUBLIC_URL',
  'SMTP_URL',
  'MAIL_FROM',
  'SMTP_TIMEOUT_SECONDS',
  'SESSION_DAYS',
  'REMINDER_DAYS',
  'SURVEY_EMAIL_HOLD_SECONDS',
  'RELEASE_LINK_DAYS',
  'TRUST_PROXY',
  'TRUSTED_PROXY_HOPS',
  'API_RATE_LIMIT',
  'RETENTION_DAYS',
  'LOG_LEVEL',
  'EVENT_LOOP_STATS',
];

export interface ServerProcess {
  pid: number;
  url: string;
  /** The last lines the server printed, for error messages. */
  output(): string;
  /** Throws (with the server's last output) if the process has ended: a dead server must not pass as a slow one. */
  assertRunning(during: string): void;
  /** SIGTERM (the server's graceful shutdown, which also writes a --cpu-prof profile), SIGKILL if it hangs. */
  stop(): Promise<void>;
}

export interface ServerOptions {
  env: Record<string, string>;
  url: string;
  /** When set, the server runs under `node --cpu-prof` and writes its profile here on exit. */
  cpuProfileDir?: string;
}

function childEnvironment(env: Record<string, string>): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !CONFIG_VARIABLES.includes(name)));
  return { ...inherited, ...env };
}

function keepTail(child: ChildProcess): () => string {
  const lines: string[] = [];
  const collect = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    lines.splice(0, Math.max(0, lines.length - 40));
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  return () => lines.join('\n');
}

/**
 * The node arguments of `npm start` (run.ts builds the bundle first). BENCH_SERVER_ARGS replaces
 * them to try a variant under the same load (e.g. `--import tsx server/main.ts` for the unbundled
 * sources, or other V8 flags).
 */
function serverArguments(): string[] {
  const custom = process.env.BENCH_SERVER_ARGS?.trim();
  return custom ? custom.split(/\s+/) : startArguments();
}

/** Starts the server exactly as an operator would, with its own environment. */
export function spawnServer(options: ServerOptions): ServerProcess {
  const profiling = options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : [];
  const child = spawn(process.execPath, [...profiling, ...serverArguments()], {
    cwd: PROJECT_ROOT,
    env: childEnvironment(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = keepTail(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stopping: Promise<void> | undefined;
  return {
    pid: child.pid!,
    url: options.url,
    output,
    assertRunning(during) {
      if (stopping || (child.exitCode === null && child.signalCode === null)) return;
      throw new Error(`The server ended during ${during} (exit code ${child.exitCode}, signal ${child.signalCode}):\n${output()}`);
    },
    stop() {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        const hung = await Promise.race([exited.then(() => false), sleep(8000).then(() => true)]);
        if (hung) {
          child.kill('SIGKILL');
          await exited;
        }
      })();
      return stopping;
    },
  };
}

/** Whether the process still runs (it may have died on a start-up error). */
export function isAlive(pid: number): boolean {
  return fs.existsSync(`/proc/${pid}`);
}

/** Polls /healthz as fast as is useful; resolves at the first 200. */
export async function waitForHealthy(server: ServerProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(`${server.url}/healthz`);
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    if (!isAlive(server.pid)) throw new Error(`The server exited during start-up:\n${server.output()}`);
    if (Date.now() > deadline) throw new Error(`The server did not answer /healthz within ${timeoutMs} ms:\n${server.output()}`);
    await sleep(5);
  }
}
