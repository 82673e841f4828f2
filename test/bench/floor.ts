import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../helpers/free-port';
import { PROJECT_ROOT } from '../helpers/server-command';
import { loadSubmissions, type LoadResult } from './load';

/**
 * The submit load against floor-server.ts (a fresh SQLite file, `links` invitations), with the same
 * connections, duration and bodies as the server's submit load.
 */
export async function loadFloorSubmissions(links: number, onCleanup: (cleanup: () => unknown) => void): Promise<LoadResult> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'threesixty-floor-'));
  onCleanup(() => fs.rmSync(directory, { recursive: true, force: true }));
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'test/bench/floor-server.ts')], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, FLOOR_FILE: path.join(directory, 'floor.sqlite'), FLOOR_PORT: String(port), FLOOR_LINKS: String(links) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  onCleanup(async () => {
    child.kill('SIGTERM');
    await exited;
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
    child.once('exit', (code) => reject(new Error(`The floor server exited (${code}) before it was ready`)));
  });
  const result = await loadSubmissions(`http://127.0.0.1:${port}`, child.pid!, Array.from({ length: links }, (_, index) => `link-${index}`));
  return { ...result, name: 'POST floor (bare route, same transaction)' };
}
