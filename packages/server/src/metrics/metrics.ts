import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { PoolStats } from '../db/open-database.js';
import type { BatchRequest } from '../group-commit/serve-many.js';
import type { LinkMetrics, ManifestOutcome } from './link-metrics.js';

/** The route label of a request no route matched: never the raw URL, which may carry a link id. */
export const UNMATCHED_ROUTE = '(unmatched)';

/** Request durations in seconds: the manifest path answers in milliseconds, a passcode guess in ~0.1 s. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Requests per group-commit batch: one alone, up to the batcher's 256. */
const BATCH_SIZE_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256];

export interface AppMetrics extends LinkMetrics {
  /** The registry `/metrics` answers from: this app's metrics only (tests run several apps per process). */
  readonly registry: Registry;
  /** One answered HTTP request: `route` is the route pattern (`/shl/:id`), never the URL. */
  requestAnswered(route: string, status: number, seconds: number): void;
  /** One group-commit batch went to the database with `size` requests (decision 0010). */
  batchStarted(path: BatchRequest['path'], size: number): void;
  /** One request was left out of its group-commit batch: its client had closed the connection. */
  batchClientGone(path: BatchRequest['path']): void;
}

/**
 * The Prometheus metrics of one app, in the registry it owns. Counters are per process; Prometheus sums
 * them across processes (`sum by (route, status) (rate(shlkit_http_requests_total[5m]))`). Names are a
 * contract with dashboards and alerts: never rename one.
 *
 * `poolStats` is read at each scrape (`shlkit_db_pool_connections{state="active"|"idle"|"waiting"}`).
 */
export const createMetrics = (poolStats: () => PoolStats | undefined): AppMetrics => {
  const registry = new Registry();
  const httpRequests = new Counter({
    name: 'shlkit_http_requests_total',
    help: 'HTTP requests answered, by route pattern and status',
    labelNames: ['route', 'status'] as const,
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: 'shlkit_http_request_duration_seconds',
    help: 'Time from receiving a request to sending its answer, in seconds',
    labelNames: ['route'] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const linksCreated = new Counter({
    name: 'shlkit_links_created_total',
    help: 'Links created',
    registers: [registry],
  });
  const manifestRequests = new Counter({
    name: 'shlkit_manifest_requests_total',
    help: 'Manifest requests answered, by outcome',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const passcodeFailures = new Counter({
    name: 'shlkit_passcode_failures_total',
    help: 'Wrong passcodes that spent an attempt',
    registers: [registry],
  });
  const lockouts = new Counter({
    name: 'shlkit_lockouts_total',
    help: 'Links locked by the wrong passcode that spent their last attempt',
    registers: [registry],
  });
  const batchSize = new Histogram({
    name: 'shlkit_group_commit_batch_size',
    help: 'Requests per group-commit batch (one statement and one commit), by path: manifest, direct, file',
    labelNames: ['path'] as const,
    buckets: BATCH_SIZE_BUCKETS,
    registers: [registry],
  });
  const batchClientGone = new Counter({
    name: 'shlkit_group_commit_client_gone_total',
    help: 'Requests left out of their group-commit batch, unserved and unlogged, because their client had closed the connection, by path',
    labelNames: ['path'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'shlkit_db_pool_connections',
    help: 'Database connections of this process, by state (waiting: requests queued for one)',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const stats = poolStats();
      if (stats === undefined) return;
      this.set({ state: 'active' }, stats.active);
      this.set({ state: 'idle' }, stats.idle);
      this.set({ state: 'waiting' }, stats.waiting);
    },
  });
  return {
    registry,
    requestAnswered: (route, status, seconds) => {
      httpRequests.inc({ route, status: String(status) });
      httpDuration.observe({ route }, seconds);
    },
    batchStarted: (path, size) => batchSize.observe({ path }, size),
    batchClientGone: (path) => batchClientGone.inc({ path }),
    linkCreated: () => linksCreated.inc(),
    manifestAnswered: (outcome: ManifestOutcome) => manifestRequests.inc({ outcome }),
    passcodeFailed: (lockedOut) => {
      passcodeFailures.inc();
      if (lockedOut) lockouts.inc();
    },
  };
};
