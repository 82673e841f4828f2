import fs from 'node:fs';

export interface RssSampler {
  /** Highest resident set size seen so far, in MiB. */
  peakMb(): number;
  /** Resident set size now, in MiB (0 once the process has ended). */
  currentMb(): number;
  stop(): void;
}

function readRssKb(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined; // The process has ended.
  }
}

/** Reads /proc/<pid>/status every `everyMs`: cheap enough not to disturb the load, often enough to catch short peaks. */
export function sampleRss(pid: number, everyMs = 50): RssSampler {
  let peakKb = 0;
  const sample = () => {
    const kb = readRssKb(pid);
    if (kb !== undefined && kb > peakKb) peakKb = kb;
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    peakMb: () => {
      sample();
      return peakKb / 1024;
    },
    currentMb: () => (readRssKb(pid) ?? 0) / 1024,
    stop: () => clearInterval(timer),
  };
}
