import { readFileSync } from 'node:fs';

/** Resident memory of a process in bytes (VmRSS of /proc/<pid>/status); undefined once it is gone. */
export const residentBytes = (pid: number): number | undefined => {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  return match?.[1] === undefined ? undefined : Number(match[1]) * 1024;
};

export interface RssSampler {
  /** The highest VmRSS seen so far, in bytes (0 before the first sample). */
  peakBytes(): number;
  /** Stops sampling and returns the peak in bytes. */
  stop(): number;
}

/**
 * Samples a process's VmRSS every `intervalMs` milliseconds (default 50) and keeps the peak: the
 * resident memory of the server while it is under load, not at rest. Linux only (/proc).
 */
export const sampleRss = (pid: number, intervalMs = 50): RssSampler => {
  let peak = 0;
  const sample = () => {
    const bytes = residentBytes(pid);
    if (bytes !== undefined && bytes > peak) peak = bytes;
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    peakBytes: () => peak,
    stop: () => {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
};
