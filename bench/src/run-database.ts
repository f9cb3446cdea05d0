import { freePort } from './child-process.js';
import { AccessLedger, countAccessLog } from './access-log-check.js';
import { withDatabase } from './bench-database.js';
import { type BenchLinks, createBenchLinks } from './bench-links.js';
import type { BenchSettings } from './bench-settings.js';
import type { DatabaseKind, DatabaseResults, NotFoundFigures, PhaseResults } from './results.js';
import { residentBytes, sampleRss } from './rss-sampler.js';
import type { BenchContext } from './scenarios/bench-context.js';
import { type CreateFigures, measureCreateLink } from './scenarios/create-link.js';
import { measureServing, type ServingFigures } from './scenarios/measure-serving.js';
import {
  directFileRequest,
  embeddedIpsRequest,
  locationFileRequest,
  manifestRequest,
  passcodeRequest,
} from './scenarios/serving-requests.js';
import { measureUniform404 } from './scenarios/uniform-404.js';
import { seedLinks } from './seed-links.js';
import { BENCH_API_KEY, type ServerDatabase, spawnServer } from './spawn-server.js';

const log = (line: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);

/**
 * Every measure on one database. A first server run (which migrates) makes the bench's links through the
 * management API; then, for each stored-link count, the server is stopped, links are seeded by SQL up to
 * the count, a fresh server is started, the serving measures run (all four, creation and the uniform 404
 * at the first count; manifest, direct-file and `location` at the others) while its memory is sampled,
 * and after it stops the access log is counted against the 2xx answers received.
 */
export const benchDatabase = async (
  settings: BenchSettings,
  kind: DatabaseKind,
  label: string,
  database: ServerDatabase,
): Promise<DatabaseResults> => {
  const ledger = new AccessLedger();
  log(`${label}: first start (migrations), making the bench's links`);
  const port = await freePort();
  const first = await spawnServer(database, settings.serverLogLevel, port);
  let links: BenchLinks;
  try {
    links = await createBenchLinks(first.url, BENCH_API_KEY);
  } finally {
    await first.stop();
  }

  const phases: PhaseResults[] = [];
  let create: CreateFigures | undefined;
  let notFound: NotFoundFigures | undefined;
  for (const [index, target] of settings.linkCounts.entries()) {
    const seed = await withDatabase(database, (db) => seedLinks(db, links.manifest.id, target));
    log(
      `${label}: ${seed.links} links (${seed.added} seeded in ${(seed.ms / 1000).toFixed(1)} s); starting the server`,
    );
    const server = await spawnServer(database, settings.serverLogLevel, port);
    const rssIdleBytes = residentBytes(server.pid) ?? 0;
    const context: BenchContext = { server, settings, ledger, links: seed.links };
    const serving: ServingFigures[] = [];
    let rssPeakBytes: number;
    try {
      const rss = sampleRss(server.pid);
      const requests = [
        manifestRequest(context, links),
        ...(index === 0 ? [passcodeRequest(context, links), embeddedIpsRequest(context, links)] : []),
        directFileRequest(context, links),
        await locationFileRequest(context, links),
      ];
      for (const request of requests) {
        log(`${label}, ${seed.links} links: ${request.measure}`);
        serving.push(await measureServing(context, request));
      }
      rssPeakBytes = rss.stop();
      if (index === 0) {
        log(`${label}: creation from the 1.8 MB IPS`);
        create = await measureCreateLink(context);
        log(`${label}: uniform 404`);
        const latency = await measureUniform404(server.url, links.deleted.url, settings.notFoundPairs);
        notFound = {
          pairs: settings.notFoundPairs,
          deletedMs: latency.inactiveMs,
          unknownMs: latency.unknownMs,
        };
      }
    } finally {
      await server.stop();
    }
    const accessLog = await withDatabase(database, (db) => countAccessLog(db, ledger));
    phases.push({ links: seed.links, seed, serving, rssIdleBytes, rssPeakBytes, accessLog });
  }
  if (create === undefined || notFound === undefined) throw new Error('no link count to measure at');
  return { kind, label, phases, create, notFound };
};
