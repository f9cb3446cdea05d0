// `npm run bench` end to end, as small as it goes: the server spawned as `npm start` does, the bare
// baseline and autocannon in their own processes, on PostgreSQL (the embedded database's first start
// takes twice as long, and the same code drives both). It checks the run's bookkeeping, never its speed.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchResults } from '../src/results.js';
import type { TargetCheck } from '../src/targets.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const postgresUrl = process.env.TEST_DATABASE_URL ?? '';
const postgresRequired = process.env.CI === 'true';

if (postgresUrl === '' && !postgresRequired)
  console.warn('bench smoke test: TEST_DATABASE_URL is not set, so it is SKIPPED');

/** The smallest run: 50 requests per trial, one A B pair, 4 connections, 10 stored links. */
const TINY = {
  BENCH_DATABASES: 'postgres',
  BENCH_REQUESTS: '50',
  BENCH_PASSCODE_REQUESTS: '5',
  BENCH_WARMUP: '0',
  BENCH_TRIALS: '2',
  BENCH_BARE_FACTOR: '1',
  BENCH_CONNECTIONS: '4',
  BENCH_CREATE_RUNS: '1',
  BENCH_NOT_FOUND_PAIRS: '2',
  BENCH_LINKS: '10',
};

describe.skipIf(postgresUrl === '' && !postgresRequired)('npm run bench, tiny, on PostgreSQL', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'shlkit-bench-test-'));
  let exitCode: number | null = null;
  let output = '';

  beforeAll(async () => {
    if (postgresUrl === '')
      throw new Error('TEST_DATABASE_URL is not set: CI=true requires this test to run');
    // Incremental: cheap when `npm test` has built everything already.
    execFileSync('npx', ['tsc', '-b', 'bench'], { cwd: root, stdio: 'inherit' });
    const child = spawn(process.execPath, ['bench/dist/run.js'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', BENCH_DATABASE_URL: postgresUrl, BENCH_OUT_DIR: outDir, ...TINY },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    [exitCode] = (await once(child, 'exit')) as [number | null];
  }, 120_000);

  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  const results = () =>
    JSON.parse(readFileSync(join(outDir, 'bench.json'), 'utf8')) as BenchResults & { targets: TargetCheck[] };

  it('exits 0 and writes bench.json and bench.md', () => {
    expect(exitCode, output).toBe(0);
    expect(readFileSync(join(outDir, 'bench.md'), 'utf8')).toContain('## PostgreSQL');
  });

  it('reports each median rate with the slowest and fastest of its trials beside it', () => {
    const row = readFileSync(join(outDir, 'bench.md'), 'utf8')
      .split('\n')
      .find((line) => line.startsWith('| manifest POST, small embedded file'));
    const [, shlkit, bare] = (row ?? '').split(' | ').slice(1);
    for (const cell of [shlkit, bare]) {
      const [median, slowest, fastest] = (/^(\d+) req\/s \((\d+) to (\d+)\)$/.exec(cell ?? '') ?? [])
        .slice(1)
        .map(Number);
      expect(median, row).toBeGreaterThanOrEqual(slowest ?? Infinity);
      expect(median, row).toBeLessThanOrEqual(fastest ?? -Infinity);
    }
  });

  it('finds one ok access-log row per 2xx answer: sample, trial and ticket requests all counted', () => {
    const [database] = results().databases;
    const [phase] = database?.phases ?? [];
    const answered = phase?.accessLog.reduce((sum, count) => sum + count.answered, 0);
    const logged = phase?.accessLog.reduce((sum, count) => sum + count.logged, 0);
    // Two trials each: manifest 1 + 100, passcode 1 + 10, embedded IPS 1 + 100, direct file 1 + 100,
    // location 1 (its ticket) + 1 + 100.
    expect(answered).toBe(416);
    expect(logged).toBe(416);
  });

  it('measures every serving route against its bare baseline, and creation against jose', () => {
    const [database] = results().databases;
    const measures = database?.phases[0]?.serving.map((figures) => figures.measure);
    expect(measures).toEqual([
      'manifest',
      'manifest-passcode',
      'manifest-embedded-ips',
      'direct-file',
      'location-file',
    ]);
    for (const figures of database?.phases[0]?.serving ?? []) {
      expect(figures.shlkit.perSecond).toBeGreaterThan(0);
      expect(figures.bare.perSecond).toBeGreaterThan(0);
    }
    expect(database?.create.joseMs).toBeGreaterThan(0);
    expect(database?.phases[0]?.rssPeakBytes).toBeGreaterThan(0);
  });

  it('checks the PostgreSQL targets it measured, and marks the 100,000-link ones not measured', () => {
    const statuses = results().targets.map((check) => `${check.target}: ${check.status}`);
    expect(statuses.filter((line) => /manifest POST >= 0.3 of bare: (PASS|MISS)$/.test(line))).toHaveLength(
      1,
    );
    expect(statuses.filter((line) => line.includes('100,000') && line.endsWith('n/a'))).toHaveLength(4);
  });
});
