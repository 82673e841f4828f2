/**
 * Summarises V8 .cpuprofile files (from `node --cpu-prof`, e.g. a bench run with BENCH_CPU_PROF_DIR):
 * self time by function, by file or package, and inclusive time by function.
 *
 *   npx tsx test/bench/profile-summary.ts <file-or-dir> [--top 25] [--focus <substring>]
 *
 * `--focus` keeps only samples whose stack contains a frame matching the substring (e.g. a route
 * handler), to see what one request type spends its time on.
 */
import fs from 'node:fs';
import path from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** node_modules/<package> (or the project-relative path), so vendor time groups by package. */
function fileLabel(url: string): string {
  if (!url) return '(native / V8)';
  const clean = url.replace(/^file:\/\//, '');
  const vendor = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(clean);
  if (vendor) return `[${vendor[1]}]`;
  if (clean.startsWith('node:')) return clean;
  return path.relative(process.cwd(), clean) || clean;
}

function frameLabel(frame: CallFrame): string {
  const name = frame.functionName || '(anonymous)';
  return frame.url ? `${name}  ${fileLabel(frame.url)}:${frame.lineNumber + 1}` : name;
}

function readProfiles(target: string): CpuProfile[] {
  const files = fs.statSync(target).isDirectory()
    ? fs.readdirSync(target).filter((file) => file.endsWith('.cpuprofile')).map((file) => path.join(target, file))
    : [target];
  return files.map((file) => JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile);
}

interface Totals {
  totalMs: number;
  selfByFunction: Map<string, number>;
  selfByFile: Map<string, number>;
  inclusiveByFunction: Map<string, number>;
}

function add(map: Map<string, number>, key: string, ms: number): void {
  map.set(key, (map.get(key) ?? 0) + ms);
}

/** The stack of a node, leaf first, as frames. */
function stackOf(id: number, parents: Map<number, number>, nodes: Map<number, ProfileNode>): CallFrame[] {
  const frames: CallFrame[] = [];
  for (let current: number | undefined = id; current !== undefined; current = parents.get(current)) frames.push(nodes.get(current)!.callFrame);
  return frames;
}

function accumulate(profile: CpuProfile, totals: Totals, focus: string | undefined): void {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  profile.samples.forEach((id, index) => {
    const ms = (profile.timeDeltas[index] ?? 0) / 1000;
    const stack = stackOf(id, parents, nodes);
    if (focus && !stack.some((frame) => frameLabel(frame).includes(focus))) return;
    const leaf = stack[0]!;
    if (leaf.functionName === '(idle)') return;
    totals.totalMs += ms;
    add(totals.selfByFunction, frameLabel(leaf), ms);
    add(totals.selfByFile, fileLabel(leaf.url) + (leaf.url ? '' : `: ${leaf.functionName}`), ms);
    for (const label of new Set(stack.map(frameLabel))) add(totals.inclusiveByFunction, label, ms);
  });
}

function top(map: Map<string, number>, count: number, totalMs: number): string {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([label, ms]) => `${ms.toFixed(0).padStart(8)} ms ${((100 * ms) / totalMs).toFixed(1).padStart(5)} %  ${label}`)
    .join('\n');
}

function main(): void {
  const args = process.argv.slice(2);
  const target = args.find((arg, index) => !arg.startsWith('--') && !args[index - 1]?.startsWith('--'));
  if (!target) throw new Error('Usage: profile-summary.ts <file-or-dir> [--top N] [--focus substring]');
  const option = (name: string) => {
    const index = args.indexOf(name);
    return index >= 0 ? args[index + 1] : undefined;
  };
  const count = Number(option('--top') ?? 25);
  const totals: Totals = { totalMs: 0, selfByFunction: new Map(), selfByFile: new Map(), inclusiveByFunction: new Map() };
  for (const profile of readProfiles(target)) accumulate(profile, totals, option('--focus'));
  console.log(`busy (non-idle) time: ${totals.totalMs.toFixed(0)} ms${option('--focus') ? ` in stacks containing "${option('--focus')}"` : ''}\n`);
  console.log(`self time by function:\n${top(totals.selfByFunction, count, totals.totalMs)}\n`);
  console.log(`self time by file / package:\n${top(totals.selfByFile, count, totals.totalMs)}\n`);
  console.log(`inclusive time by function:\n${top(totals.inclusiveByFunction, count, totals.totalMs)}`);
}

main();
