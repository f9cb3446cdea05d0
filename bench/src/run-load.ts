import { spawnNode } from './child-process.js';

const LOAD_WORKER = new URL('./load-worker.js', import.meta.url);

/** One load: `amount` requests to `url` over `connections` keep-alive connections. */
export interface LoadRequest {
  url: string;
  method: 'GET' | 'POST';
  body?: string;
  headers: Record<string, string>;
  connections: number;
  /** Requests to send in all (autocannon's `amount`). */
  amount: number;
}

/** What autocannon saw, from the load worker. */
export interface LoadResult {
  /** Requests sent. */
  sent: number;
  /** 2xx answers: the served requests. */
  ok: number;
  non2xx: number;
  /** Connection errors (a reset, a refused connection). */
  errors: number;
  timeouts: number;
  /** Answers by status code, e.g. `{"200": 5000}`. */
  statuses: Record<string, number>;
  /** Seconds from the start (connections opening) to the last answer, on the worker's monotonic clock. */
  seconds: number;
  /** 2xx answers per second: `ok / seconds`. */
  perSecond: number;
  /**
   * Latency of 2xx answers in milliseconds, from autocannon's histogram (1 ms resolution: a value under
   * 1 ms is recorded as 0 or 1).
   */
  latencyMs: { p50: number; p99: number; mean: number; max: number };
}

/**
 * What went wrong in a load, in words, or undefined when every request got a 2xx answer. A measure with
 * errors is reported as such and fails the run (run.ts), after the other measures have run.
 */
export const unexpectedAnswers = (request: LoadRequest, result: LoadResult): string | undefined =>
  result.ok === request.amount && result.errors === 0 && result.timeouts === 0
    ? undefined
    : `${result.ok} of ${request.amount} answered 2xx (statuses ${JSON.stringify(result.statuses)}, ` +
      `${result.errors} errors, ${result.timeouts} timeouts)`;

/**
 * Runs one load in a fresh load-worker process and returns its result, whatever the answers' statuses
 * (see `unexpectedAnswers`).
 *
 * @throws Error when the worker fails.
 */
export const runLoad = async (request: LoadRequest): Promise<LoadResult> => {
  // autocannon refuses more connections than requests (a small warm-up, say).
  const sent = { ...request, connections: Math.min(request.connections, request.amount) };
  const child = spawnNode(LOAD_WORKER, [JSON.stringify(sent)], {});
  let stdout = '';
  child.process.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  const code = await child.exited;
  if (code !== 0) throw new Error(`the load worker exited with ${code}:\n${child.output()}`);
  return JSON.parse(stdout.trim()) as LoadResult;
};
