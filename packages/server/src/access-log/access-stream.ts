import type { ServerResponse } from 'node:http';
import type { Database } from '../db/schema.js';
import { listAccessesAfter } from './access-log.repository.js';

export interface AccessStreamOptions {
  /** How often the access log is read for new rows, in milliseconds. */
  pollMs: number;
  /** How often a comment keeps idle proxies from closing the connection, in milliseconds. */
  heartbeatMs: number;
  /**
   * How often the caller's credentials and reach are checked again, in milliseconds: a stream outlives the
   * request that opened it, and a revoked key, a signed-out session or an expired token must stop it.
   */
  recheckMs: number;
}

export const DEFAULT_ACCESS_STREAM_OPTIONS: AccessStreamOptions = {
  pollMs: 500,
  heartbeatMs: 15_000,
  recheckMs: 5_000,
};

/**
 * Streams a link's new accesses as Server-Sent Events (HTML Living Standard, "Server-sent events"): one
 * `access` event per access-log row, its `id` the row id (so a reconnecting EventSource resumes after it
 * with `Last-Event-ID`), and a comment line as a heartbeat.
 *
 * It reads the access log by id every `pollMs` rather than listening for notifications: the log is the one
 * place every server process writes (PostgreSQL or PGlite, one process or several), so a poll sees every
 * access whichever process served it, needs no dedicated connection per stream (LISTEN holds one) and
 * misses nothing across a reconnect. The cost is one indexed query per open stream every `pollMs`, and up
 * to `pollMs` of delay. Every `recheckMs` it asks `stillAllowed` and ends the stream on false. Returns a
 * function that ends the stream (also called when the client goes away).
 */
export const streamAccesses = (
  db: Database,
  linkId: string,
  afterId: number,
  res: ServerResponse,
  options: AccessStreamOptions,
  stillAllowed: () => Promise<boolean>,
): (() => void) => {
  let lastId = afterId;
  let ended = false;
  let polling = false;
  const end = (): void => {
    if (ended) return;
    ended = true;
    clearInterval(poll);
    clearInterval(heartbeat);
    clearInterval(recheck);
    res.end();
  };
  const poll = setInterval(() => {
    if (polling || ended) return;
    polling = true;
    listAccessesAfter(db, linkId, lastId)
      .then((accesses) => {
        for (const access of accesses) {
          if (ended) return;
          res.write(`id: ${access.id}\nevent: access\ndata: ${JSON.stringify(access)}\n\n`);
          lastId = Number(access.id);
        }
      })
      // The database went away (the server is closing): end the stream; the client reconnects.
      .catch(end)
      .finally(() => {
        polling = false;
      });
  }, options.pollMs);
  const heartbeat = setInterval(() => {
    if (!ended) res.write(': heartbeat\n\n');
  }, options.heartbeatMs);
  const recheck = setInterval(() => {
    stillAllowed().then((allowed) => {
      if (!allowed) end();
    }, end);
  }, options.recheckMs);
  res.on('close', end);
  return end;
};
