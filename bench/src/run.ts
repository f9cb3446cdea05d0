// `npm run bench`: shlkit's costs as ratios against baselines measured in the same run, on the embedded
// database and (when BENCH_DATABASE_URL or TEST_DATABASE_URL is set) on PostgreSQL. No absolute targets:
// the numbers depend on the machine, the ratios much less.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encryptFile, FHIR_JSON, generateShlKey } from '@shlkit/core';
import { loadConfig, startServer } from '@shlkit/server';
import { startBareServer } from './bare-server.js';
import { medianMs, runLoad } from './load.js';
import { createScratchDatabase } from './scratch-database.js';
import { measureUniform404 } from './uniform-404.js';

const API_KEY = 'bench-api-key-0123456789';
const MANIFEST_REQUESTS = Number(process.env.BENCH_REQUESTS ?? 3000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const CREATE_RUNS = Number(process.env.BENCH_CREATE_RUNS ?? 7);
const NOT_FOUND_PAIRS = Number(process.env.BENCH_NOT_FOUND_PAIRS ?? 300);

// From bench/dist/run.js (or bench/src/run.ts) up to the repository's fixtures.
const largeSample = readFileSync(
  new URL('../../fixtures/ips/CA_VeroSource_colorful_balloon.json', import.meta.url),
  'utf8',
);
const smallResource = JSON.stringify({ resourceType: 'Patient', id: 'bench', name: [{ family: 'Bench' }] });

interface Row {
  database: string;
  measure: string;
  shlkit: string;
  baseline: string;
  ratio: string;
}

const api = async (base: string, path: string, init: RequestInit = {}) => {
  const response = await fetch(`${base}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json', ...init.headers },
  });
  if (!response.ok)
    throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${await response.text()}`);
  return response.json() as Promise<Record<string, unknown>>;
};

/** Counts a link's access-log rows by paging through the management API. */
const countAccesses = async (base: string, id: string): Promise<number> => {
  let count = 0;
  let cursor: string | null = null;
  do {
    const query: string = cursor === null ? '' : `&cursor=${cursor}`;
    const page = (await api(base, `/api/links/${id}/accesses?limit=1000${query}`)) as {
      accesses: unknown[];
      nextCursor: string | null;
    };
    count += page.accesses.length;
    cursor = page.nextCursor;
  } while (cursor !== null);
  return count;
};

const benchDatabase = async (database: string, env: Record<string, string>): Promise<Row[]> => {
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    SHL_API_KEY: API_KEY,
    SHL_DEMO: 'false',
    LOG_LEVEL: 'silent',
    // The bench measures the server, not its limits: 3,000 requests from one address would be refused.
    SHL_RATE_LIMIT: 'off',
    ...env,
  });
  const server = await startServer({ config });
  try {
    // Manifest requests for a small embedded file, against a bare server answering the same bytes.
    const created = await api(server.url, '/api/links', {
      method: 'POST',
      body: JSON.stringify({ content: JSON.parse(smallResource), label: 'bench' }),
    });
    const manifestUrl = (created.payload as { url: string }).url;
    const body = JSON.stringify({ recipient: 'bench' });
    const sample = await fetch(manifestUrl, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    });
    const answer = Buffer.from(await sample.arrayBuffer());
    if (sample.status !== 200) throw new Error(`manifest answered ${sample.status}`);
    const bare = await startBareServer(answer, {
      'content-type': sample.headers.get('content-type') ?? undefined,
    });
    await runLoad({ url: manifestUrl, method: 'POST', body, requests: 300, concurrency: CONCURRENCY });
    await runLoad({ url: bare.url, method: 'POST', body, requests: 300, concurrency: CONCURRENCY });
    const ours = await runLoad({
      url: manifestUrl,
      method: 'POST',
      body,
      requests: MANIFEST_REQUESTS,
      concurrency: CONCURRENCY,
    });
    const baseline = await runLoad({
      url: bare.url,
      method: 'POST',
      body,
      requests: MANIFEST_REQUESTS,
      concurrency: CONCURRENCY,
    });
    await bare.close();
    if (ours.statuses[200] !== MANIFEST_REQUESTS)
      throw new Error(`manifest statuses: ${JSON.stringify(ours.statuses)}`);

    // Every access still gets its durable access-log row: count them through the API.
    const logged = await countAccesses(server.url, String(created.id));

    // Link creation for the 1.8 MB sample, against jose encrypting the same text the same way.
    const content = JSON.parse(largeSample) as unknown;
    const createBody = JSON.stringify({ content });
    const createMs = await medianMs(CREATE_RUNS, () =>
      api(server.url, '/api/links', { method: 'POST', body: createBody }),
    );
    const key = generateShlKey();
    const joseMs = await medianMs(CREATE_RUNS, () =>
      encryptFile(largeSample, key, { contentType: FHIR_JSON, compress: true }),
    );

    // The uniform 404: an unknown id against a deleted link, interleaved.
    const deleted = await api(server.url, '/api/links', {
      method: 'POST',
      body: JSON.stringify({ content: JSON.parse(smallResource) }),
    });
    await fetch(`${server.url}/api/links/${String(deleted.id)}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    const notFound = await measureUniform404(
      server.url,
      (deleted.payload as { url: string }).url,
      NOT_FOUND_PAIRS,
    );

    return [
      {
        database,
        measure: `uniform 404: deleted link vs unknown id (median of ${NOT_FOUND_PAIRS} interleaved pairs)`,
        shlkit: `${notFound.inactiveMs.toFixed(2)} ms`,
        baseline: `${notFound.unknownMs.toFixed(2)} ms (unknown id)`,
        ratio: `${(notFound.inactiveMs / notFound.unknownMs).toFixed(3)}x`,
      },
      {
        database,
        measure: `manifest POST, small embedded file (${CONCURRENCY} connections)`,
        shlkit: `${ours.perSecond.toFixed(0)} req/s`,
        baseline: `${baseline.perSecond.toFixed(0)} req/s (bare node:http)`,
        ratio: `${(ours.perSecond / baseline.perSecond).toFixed(3)} of baseline`,
      },
      {
        database,
        measure: 'access-log rows written for those requests',
        shlkit: `${logged}`,
        baseline: `${MANIFEST_REQUESTS + 300 + 1} requests sent`,
        ratio: `${(logged / (MANIFEST_REQUESTS + 301)).toFixed(3)}`,
      },
      {
        database,
        measure: 'create link from the 1.8 MB IPS (median)',
        shlkit: `${createMs.toFixed(1)} ms`,
        baseline: `${joseMs.toFixed(1)} ms (jose encrypt, zip DEF)`,
        ratio: `${(createMs / joseMs).toFixed(2)}x baseline`,
      },
    ];
  } finally {
    await server.close();
  }
};

const main = async () => {
  const rows: Row[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'shlkit-bench-'));
  try {
    rows.push(...(await benchDatabase('PGlite (embedded)', { DATA_DIR: dataDir })));
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  const postgres = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (postgres) {
    const scratch = await createScratchDatabase(postgres);
    try {
      rows.push(
        ...(await benchDatabase('PostgreSQL', {
          DATABASE_URL: scratch.url,
          SHL_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64url'),
        })),
      );
    } finally {
      await scratch.drop();
    }
  } else console.log('PostgreSQL: skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL to include it)');

  console.log(`\nshlkit benchmark, ${new Date().toISOString()}, node ${process.version}`);
  console.table(rows);
  mkdirSync('test-artifacts', { recursive: true });
  writeFileSync('test-artifacts/bench.json', `${JSON.stringify(rows, null, 2)}\n`);
};

await main();
