import { Agent, request } from 'node:http';

export interface LoadOptions {
  url: string;
  method: 'GET' | 'POST';
  body?: string;
  requests: number;
  concurrency: number;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  perSecond: number;
  /** Status codes seen, by count: a benchmark that measured errors is worth nothing. */
  statuses: Record<number, number>;
}

/**
 * Sends `requests` requests over `concurrency` keep-alive connections and measures the rate. Both the
 * server under test and the bare baseline are driven by this same loop, so its own cost cancels out in
 * the ratio.
 */
export const runLoad = async (options: LoadOptions): Promise<LoadResult> => {
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const target = new URL(options.url);
  const statuses: Record<number, number> = {};
  let next = 0;
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const req = request(
        target,
        {
          agent,
          method: options.method,
          headers: options.body === undefined ? {} : { 'content-type': 'application/json' },
        },
        (res) => {
          statuses[res.statusCode ?? 0] = (statuses[res.statusCode ?? 0] ?? 0) + 1;
          res.resume();
          res.on('end', resolve);
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(options.body);
    });
  const worker = async () => {
    while (next < options.requests) {
      next += 1;
      await one();
    }
  };
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  return { requests: options.requests, seconds, perSecond: options.requests / seconds, statuses };
};

/** Runs `fn` `times` times one after the other and returns the median duration in milliseconds. */
export const medianMs = async (times: number, fn: () => Promise<unknown>): Promise<number> => {
  const durations: number[] = [];
  for (let i = 0; i < times; i += 1) {
    const started = process.hrtime.bigint();
    await fn();
    durations.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  durations.sort((a, b) => a - b);
  return durations[Math.floor(durations.length / 2)] ?? Number.NaN;
};
