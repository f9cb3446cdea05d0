// The load generator, run as a process of its own (run-load.ts starts it) so that its CPU is not the
// measured server's: autocannon, driven programmatically, sends a fixed number of requests (`amount`, so
// the count of 2xx answers is exact) over keep-alive connections and prints its figures as one JSON line.
//
// Usage: node load-worker.js '<LoadRequest JSON>'
import autocannon from 'autocannon';
import type { LoadRequest, LoadResult } from './run-load.js';

const request = JSON.parse(process.argv[2] ?? '') as LoadRequest;
const started = process.hrtime.bigint();
// autocannon ends a run at its next one-second sampling tick, not at the last answer: time the run from
// the start to the last answer instead, or a run of 2,000 requests would carry up to a second of idling.
let lastAnswer = started;
const instance = autocannon(
  {
    url: request.url,
    method: request.method,
    ...(request.body === undefined ? {} : { body: request.body }),
    headers: request.headers,
    connections: request.connections,
    amount: request.amount,
    // A passcode guess may wait for a free attempt for up to 15 s (passcodes/hold-attempt.ts).
    timeout: 30,
  },
  (error, result) => {
    const seconds = Number(lastAnswer - started) / 1e9;
    if (error) {
      console.error(error);
      process.exit(1);
    }
    const statuses: Record<string, number> = {};
    for (const [status, stats] of Object.entries(result.statusCodeStats ?? {}))
      statuses[status] = stats.count ?? 0;
    const answer: LoadResult = {
      sent: result.requests.sent,
      ok: result['2xx'],
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      statuses,
      seconds,
      perSecond: result['2xx'] / seconds,
      latencyMs: {
        p50: result.latency.p50,
        p99: result.latency.p99,
        mean: result.latency.average,
        max: result.latency.max,
      },
    };
    process.stdout.write(`${JSON.stringify(answer)}\n`);
  },
);
instance.on('response', () => {
  lastAnswer = process.hrtime.bigint();
});
// Make sure a worker never runs on past its parent's SIGTERM.
process.on('SIGTERM', () => instance.stop());
