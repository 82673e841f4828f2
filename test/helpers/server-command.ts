import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Bundles the server into dist/server.mjs with the project's own `npm run build`, the step
 * `npm start` runs first, so drills and benchmarks start what an operator starts.
 */
export function buildServer(): void {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: PROJECT_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
}

/** The arguments after `node` in package.json's `start` script (its runtime flags and the bundle). */
export function startArguments(): string[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const [command, ...args] = manifest.scripts.start!.trim().split(/\s+/);
  if (command !== 'node') throw new Error(`package.json's start script should run node, not ${command}`);
  return args;
}
