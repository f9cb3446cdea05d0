// `npm run bench`: shlkit's serving path against a bare node:http server answering the same bytes, in
// separate processes (the server as `npm start` starts it, the baseline, autocannon), on the embedded
// database and on PostgreSQL, with issue 10's targets checked. See docs/performance.md.
import { randomBytes } from 'node:crypto';
import { provideUint8ArrayToBase64 } from '@shlkit/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { accessLogHolds, type BenchResults, type DatabaseResults } from './results.js';
import { readBenchSettings } from './bench-settings.js';
import { problemLines, textReport, writeReports } from './report.js';
import { benchDatabase } from './run-database.js';
import { createScratchDatabase } from './scratch-database.js';
import { checkTargets } from './targets.js';

const main = async (): Promise<number> => {
  // The bare jose baseline encodes as the server does (its main.ts calls this too), so that creation's
  // ratio is what the server adds to the same encryption (decision 0012).
  provideUint8ArrayToBase64();
  const settings = readBenchSettings(process.env);
  const startedAt = new Date();
  const loadAverage = loadavg();
  const databases: DatabaseResults[] = [];
  if (settings.databases.includes('pglite')) {
    const dataDir = mkdtempSync(join(tmpdir(), 'shlkit-bench-'));
    try {
      databases.push(
        await benchDatabase(settings, 'pglite', 'PGlite (embedded)', { kind: 'pglite', dataDir }),
      );
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  if (settings.databases.includes('postgres')) {
    if (settings.postgresUrl === undefined) {
      console.log('PostgreSQL: skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL to include it)');
    } else {
      const scratch = await createScratchDatabase(settings.postgresUrl);
      try {
        databases.push(
          await benchDatabase(settings, 'postgres', 'PostgreSQL', {
            kind: 'postgres',
            url: scratch.url,
            keyEncryptionKey: randomBytes(32).toString('base64url'),
          }),
        );
      } finally {
        await scratch.drop();
      }
    }
  }
  const results: BenchResults = {
    startedAt: startedAt.toISOString(),
    seconds: (Date.now() - startedAt.getTime()) / 1000,
    node: process.version,
    loadAverage,
    cpus: cpus().length,
    settings,
    databases,
  };
  const checks = checkTargets(results);
  console.log(`\n${textReport(results, checks)}`);
  writeReports(settings.outDir, results, checks);
  console.log(`\nwritten: ${settings.outDir}/bench.json, ${settings.outDir}/bench.md`);

  const wrongLogs = databases.flatMap((d) =>
    d.phases.filter((p) => !accessLogHolds(p.accessLog)).map((p) => `${d.label} at ${p.links} links`),
  );
  if (wrongLogs.length > 0) {
    console.error(`FAIL: the access log does not hold one ok row per 2xx answer: ${wrongLogs.join('; ')}`);
    return 1;
  }
  const problems = problemLines(results);
  if (problems.length > 0) {
    console.error(`FAIL: ${problems.length} load(s) got answers other than 2xx (listed above)`);
    return 1;
  }
  const misses = checks.filter((c) => c.status === 'MISS').length;
  if (misses > 0 && settings.strict) {
    console.error(`FAIL: ${misses} target(s) missed (BENCH_STRICT=true)`);
    return 1;
  }
  return 0;
};

process.exitCode = await main();
