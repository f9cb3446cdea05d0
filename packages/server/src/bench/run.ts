// `npm run bench`: manifest throughput and link creation time on both databases, each next to a bare
// baseline, as issue 2 asks. An entry point like main.ts, so it reads the environment: BENCH_DATABASE_URL
// or TEST_DATABASE_URL names a PostgreSQL server (a scratch database is created there and dropped).
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encryptFile, FHIR_JSON } from '@shlkit/core';
import pg from 'pg';
import { loadConfig } from '../config.js';
import { type RunningServer, startServer } from '../server.js';
import { medianMs, requestsPerSecond } from './measure.js';

const API_KEY = `bench-${randomBytes(16).toString('hex')}`;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const CONCURRENCY = 16;

const largeSample = (): { name: string; text: string } => {
  const shared = new URL(
    '../../../../../shared/samples/ips/CA_VeroSource_colorful_balloon.json',
    import.meta.url,
  );
  if (existsSync(shared))
    return { name: 'CA_VeroSource_colorful_balloon.json (1.8 MB)', text: readFileSync(shared, 'utf8') };
  const demo = new URL('../demo/IPS_IG_bundle-minimal.json', import.meta.url);
  return { name: 'IPS_IG_bundle-minimal.json (shared samples not found)', text: readFileSync(demo, 'utf8') };
};

const api = async (server: RunningServer, path: string, body: unknown) => {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as { id: string; payload: { url: string } };
};

/** A bare node:http server answering every request with the same bytes. */
const bareServer = async (body: string) => {
  const server = createServer((_request, response) => {
    _request.resume();
    _request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
      response.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

const postManifest = (url: string) => async () => {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"recipient":"bench"}',
  });
  if (res.status !== 200) throw new Error(`manifest answered ${res.status}`);
  await res.arrayBuffer();
};

const benchDatabase = async (name: string, env: Record<string, string>) => {
  const server = await startServer({
    config: loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      SHL_DEMO: 'false',
      SHL_API_KEY: API_KEY,
      LOG_LEVEL: 'silent',
      ...env,
    }),
  });
  try {
    const small = await api(server, '/api/links', { content: { resourceType: 'Patient', id: 'bench' } });
    const manifestBody = await (
      await fetch(small.payload.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"recipient":"bench"}',
      })
    ).text();
    const bare = await bareServer(manifestBody);
    const shl = await requestsPerSecond(postManifest(small.payload.url), {
      concurrency: CONCURRENCY,
      seconds: SECONDS,
    });
    const baseline = await requestsPerSecond(postManifest(bare.url), {
      concurrency: CONCURRENCY,
      seconds: SECONDS,
    });
    await bare.close();
    const accesses = await fetch(`${server.url}/api/links/${small.id}`, {
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    const { accessCount } = (await accesses.json()) as { accessCount: number };

    const sample = largeSample();
    const create = await medianMs(() => api(server, '/api/links', { content: sample.text }), 3);
    const key = randomBytes(32);
    const jose = await medianMs(
      () => encryptFile(sample.text, key, { contentType: FHIR_JSON, compress: true }),
      3,
    );

    console.log(`\n${name}`);
    console.log(
      `  manifest (small embedded file): ${shl.perSecond.toFixed(0)} req/s; bare node:http with the same bytes: ${baseline.perSecond.toFixed(0)} req/s; ratio ${(shl.perSecond / baseline.perSecond).toFixed(3)}`,
    );
    console.log(
      `  access-log rows for those manifests: ${accessCount} (requests answered: ${shl.count + 1}) ${accessCount === shl.count + 1 ? 'every access logged' : 'MISMATCH'}`,
    );
    console.log(
      `  link creation, ${sample.name}: median ${create.toFixed(0)} ms; bare jose encryption (zip DEF): ${jose.toFixed(0)} ms; ratio ${(create / jose).toFixed(2)}`,
    );
  } finally {
    await server.close();
  }
};

const scratchPostgres = async (adminUrl: string) => {
  const name = `shlkit_bench_${randomBytes(6).toString('hex')}`;
  const run = async (statement: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  await run(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`drop database if exists ${name} with (force)`) };
};

const main = async () => {
  console.log(
    `shlkit bench: ${SECONDS} s per throughput run, ${CONCURRENCY} concurrent clients, Node ${process.version}`,
  );
  await benchDatabase('PGlite (embedded, in memory)', { DATA_DIR: 'memory://' });
  const adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (adminUrl === undefined || adminUrl === '') {
    console.log('\nPostgreSQL: skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL)');
    return;
  }
  const scratch = await scratchPostgres(adminUrl);
  try {
    await benchDatabase('PostgreSQL', { DATABASE_URL: scratch.url });
  } finally {
    await scratch.drop();
  }
};

main().catch((error: unknown) => {
  console.error('bench failed:', error);
  process.exit(1);
});
