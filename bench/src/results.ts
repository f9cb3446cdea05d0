import type { AccessLogCount } from './access-log-check.js';
import type { BenchSettings } from './bench-settings.js';
import type { CreateFigures } from './scenarios/create-link.js';
import type { ServingFigures } from './scenarios/measure-serving.js';
import type { SeedReport } from './seed-links.js';

/** One server run at one stored-link count. */
export interface PhaseResults {
  /** Stored links while the server ran. */
  links: number;
  seed: SeedReport;
  serving: ServingFigures[];
  /** VmRSS of the server process just after /readyz, in bytes. */
  rssIdleBytes: number;
  /** Peak VmRSS of the server process during the serving measures (sampled every 50 ms), in bytes. */
  rssPeakBytes: number;
  /** The access-log check after this server stopped (cumulative over the database's phases). */
  accessLog: AccessLogCount[];
}

/** The uniform 404's latency, medians in milliseconds. */
export interface NotFoundFigures {
  pairs: number;
  deletedMs: number;
  unknownMs: number;
}

export type DatabaseKind = 'pglite' | 'postgres';

export interface DatabaseResults {
  kind: DatabaseKind;
  /** `PGlite (embedded)` or `PostgreSQL`. */
  label: string;
  phases: PhaseResults[];
  create: CreateFigures;
  notFound: NotFoundFigures;
}

/** A whole run, as bench.json holds it. */
export interface BenchResults {
  startedAt: string;
  /** Seconds the run took. */
  seconds: number;
  node: string;
  /** `uptime` at the start: the machine's load average. */
  loadAverage: number[];
  cpus: number;
  settings: BenchSettings;
  databases: DatabaseResults[];
}

/** True when every ledger link's `ok` rows equal the 2xx answers received. */
export const accessLogHolds = (counts: AccessLogCount[]): boolean =>
  counts.length > 0 && counts.every((count) => count.logged === count.answered);
