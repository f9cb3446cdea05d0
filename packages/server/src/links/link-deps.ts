import type { Clock } from '../clock.js';
import type { Database } from '../db/schema.js';
import type { ServingBatches } from '../group-commit/serving-batches.js';
import type { KeyWrapper } from '../key-wrapping/key-wrapper.js';
import type { LinkMetrics } from '../metrics/link-metrics.js';
import type { Random } from '../random.js';

/** What the link features need from the outside world, passed in by `createApp`. */
export interface LinkDeps {
  db: Database;
  clock: Clock;
  random: Random;
  keys: KeyWrapper;
  /** Known only after listening when PORT=0, hence a function. */
  publicBaseUrl: () => string;
  settings: {
    defaultPasscodeAttempts: number;
    fhirContentTypeParam: boolean;
    compressFiles: boolean;
    embeddedLengthMax: number;
    locationTtlSeconds: number;
    pollIntervalSeconds: number;
  };
  /**
   * Group commit of the public serving path (group-commit/): an app has it; without it (a service called
   * on its own) every request takes the one-request path.
   */
  batches?: ServingBatches;
  /** Told of created links, manifest answers and wrong passcodes; none outside an app. */
  metrics?: LinkMetrics;
}
