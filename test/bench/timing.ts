/** Small timing helpers shared by the bench phases. */

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Milliseconds since `start` (a performance.now() reading), with sub-millisecond precision. */
export function elapsedMs(start: number): number {
  return performance.now() - start;
}

/** Runs `task` `warmups` times unmeasured (JIT, caches), then `runs` times; returns each run's duration. */
export async function timeRuns(task: () => unknown, runs: number, warmups: number): Promise<number[]> {
  for (let index = 0; index < warmups; index += 1) await task();
  const durations: number[] = [];
  for (let index = 0; index < runs; index += 1) {
    const start = performance.now();
    await task();
    durations.push(elapsedMs(start));
  }
  return durations;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `ready` every `everyMs` until it is true; throws with `what` after `timeoutMs`. */
export async function waitUntil(ready: () => boolean | Promise<boolean>, what: string, timeoutMs: number, everyMs = 10): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** Rounds for display and for the JSON line: enough digits to compare runs, no float noise. */
export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
