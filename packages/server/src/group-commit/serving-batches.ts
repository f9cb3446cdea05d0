import type { Clock } from '../clock.js';
import type { Database } from '../db/schema.js';
import { ServerError } from '../errors.js';
import { createJweCache } from '../files/jwe-cache.js';
import { type Batcher, createBatcher } from './batcher.js';
import { type BatchRequest, type BatchResult, serveMany } from './serve-many.js';

/**
 * Group commit for the public serving path: concurrent manifest, direct-file and `location` requests of
 * this process go to the database together, one statement and one commit per batch (serve-many.ts),
 * each answer released when the batch's commit is durable. Requests a batch leaves alone (refused, or
 * needing what only the one-request path does) return undefined and take that path.
 */
export interface ServingBatches {
  /**
   * `gone`: whether the request's client has closed its connection. A request whose client is gone when
   * its batch starts is left out of it (no use counted, nothing logged) and fails with 400
   * `SHL_BAD_REQUEST`, which nobody receives, as for a request body cut off.
   */
  manifest(request: Extract<BatchRequest, { path: 'manifest' }>, gone?: () => boolean): Promise<BatchResult>;
  direct(request: Extract<BatchRequest, { path: 'direct' }>, gone?: () => boolean): Promise<BatchResult>;
  location(request: Extract<BatchRequest, { path: 'file' }>, gone?: () => boolean): Promise<BatchResult>;
}

export interface ServingBatchesOptions {
  /** True when no poll interval applies (SHL_POLL_INTERVAL_SECONDS=0), so batches serve L links too. */
  longTermChecked: boolean;
  /**
   * Batches of one path in the database at once. The embedded database runs one statement at a time, so
   * 1 there; PostgreSQL overlaps a few (each holds a pooled connection while it runs).
   */
  maxInFlight: number;
  /** Requests per statement at most (default 256). */
  maxBatch?: number;
  /** Told of each batch as it goes to the database: its path and its number of requests (metrics). */
  batchStarted?: (path: BatchRequest['path'], size: number) => void;
  /** Told of each request left out of its batch because its client had gone (metrics). */
  clientGone?: (path: BatchRequest['path']) => void;
}

/**
 * Requests of one path waiting for a batch, at most: 16 full batches. Past it the database is not keeping
 * up, and a quick 503 with Retry-After serves clients better than a growing queue of answers that come
 * too late.
 */
const MAX_QUEUED = 4096;

export const createServingBatches = (
  db: Database,
  clock: Clock,
  options: ServingBatchesOptions,
): ServingBatches => {
  // One per process, shared by the manifest, direct-file and `location` batches: all send whole files.
  const jweCache = createJweCache();
  const batcherFor = (path: BatchRequest['path']): Batcher<BatchRequest, BatchResult> =>
    createBatcher(
      // The batch is decided at the instant it runs: a request that waited is answered for now.
      (requests) => {
        options.batchStarted?.(path, requests.length);
        return serveMany(db, path, new Date(clock.now()), requests, options.longTermChecked, jweCache);
      },
      {
        maxBatch: options.maxBatch ?? 256,
        maxInFlight: options.maxInFlight,
        maxQueued: MAX_QUEUED,
        overloaded: () =>
          new ServerError('SHL_UNAVAILABLE', 'the server has too many requests waiting for the database'),
        clientGone: () =>
          new ServerError(
            'SHL_BAD_REQUEST',
            'the client closed its connection before its request was served',
          ),
        dropped: () => options.clientGone?.(path),
      },
    );
  const manifest = batcherFor('manifest');
  const direct = batcherFor('direct');
  const location = batcherFor('file');
  return {
    manifest: (request, gone) => manifest.submit(request, gone),
    direct: (request, gone) => direct.submit(request, gone),
    location: (request, gone) => location.submit(request, gone),
  };
};
