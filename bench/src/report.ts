import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TrialMedians } from './ab-trials.js';
import { accessLogHolds, type BenchResults, type DatabaseResults } from './results.js';
import type { ServingMeasure } from './scenarios/measure-serving.js';
import type { TargetCheck } from './targets.js';

const MB = 1024 * 1024;

const MEASURE_NAMES: Record<ServingMeasure, string> = {
  manifest: 'manifest POST, small embedded file',
  'manifest-passcode': 'manifest POST with passcode (scrypt N=2^14 r=8 p=1)',
  'manifest-embedded-ips': 'manifest POST, the ~100 KB IPS embedded',
  'direct-file': 'direct-file GET (U link)',
  'location-file': '`location` file GET (ticket URL)',
};

type Row = [string, string, string, string, string, string, string];

const HEADER: Row = [
  'measure',
  'links',
  'shlkit, median (trial range)',
  'bare node:http, median (trial range)',
  'ratio',
  'shlkit p50 / p99',
  'bare p50 / p99',
];

const count = (n: number) => n.toLocaleString('en');

/**
 * The median rate, and with more than one trial the slowest and fastest beside it: how far the trials
 * spread says how far to trust a ratio (the bare baseline's rate has moved by half between two trials of
 * one measure on an idle machine; docs/performance.md).
 */
const rate = (side: TrialMedians): string => {
  const median = `${side.perSecond.toFixed(0)} req/s`;
  if (side.trials.length < 2) return median;
  const rates = side.trials.map((trial) => trial.perSecond);
  return `${median} (${Math.min(...rates).toFixed(0)} to ${Math.max(...rates).toFixed(0)})`;
};

const rowsOf = (database: DatabaseResults): Row[] => {
  const rows: Row[] = [];
  for (const phase of database.phases) {
    for (const figures of phase.serving) {
      rows.push([
        `${MEASURE_NAMES[figures.measure]} (${count(figures.answerBytes)} B answer)` +
          (figures.problems.length > 0 ? ' UNEXPECTED ANSWERS, see below' : ''),
        count(phase.links),
        rate(figures.shlkit),
        rate(figures.bare),
        `${figures.ratio.toFixed(3)}`,
        `${figures.shlkit.p50Ms} / ${figures.shlkit.p99Ms} ms`,
        `${figures.bare.p50Ms} / ${figures.bare.p99Ms} ms`,
      ]);
    }
    rows.push([
      'server resident memory (VmRSS): idle after start; peak under load',
      count(phase.links),
      `${(phase.rssIdleBytes / MB).toFixed(1)} MB; ${(phase.rssPeakBytes / MB).toFixed(1)} MB`,
      '',
      '',
      '',
      '',
    ]);
    rows.push([
      `seeding by SQL: ${count(phase.seed.added)} links added`,
      count(phase.links),
      `${(phase.seed.ms / 1000).toFixed(1)} s`,
      '',
      '',
      '',
      '',
    ]);
    const answered = phase.accessLog.reduce((sum, c) => sum + c.answered, 0);
    const logged = phase.accessLog.reduce((sum, c) => sum + c.logged, 0);
    rows.push([
      `access log: \`ok\` rows vs 2xx answers (${phase.accessLog.length} links, cumulative)`,
      count(phase.links),
      `${count(logged)} rows`,
      `${count(answered)} answers`,
      accessLogHolds(phase.accessLog) ? 'exact' : 'WRONG',
      '',
      '',
    ]);
  }
  const create = database.create;
  rows.push([
    `create link from the 1.8 MB IPS (median of ${create.runs})`,
    '',
    `${create.createMs.toFixed(1)} ms`,
    `${create.joseMs.toFixed(1)} ms (bare jose)`,
    `${create.ratio.toFixed(2)} x`,
    '',
    '',
  ]);
  rows.push([
    `uniform 404: deleted link vs unknown id (median of ${database.notFound.pairs} interleaved pairs)`,
    '',
    `${database.notFound.deletedMs.toFixed(2)} ms`,
    `${database.notFound.unknownMs.toFixed(2)} ms (unknown id)`,
    `${(database.notFound.deletedMs / database.notFound.unknownMs).toFixed(3)} x`,
    '',
    '',
  ]);
  return rows;
};

const markdownTable = (rows: Row[]): string =>
  [HEADER, HEADER.map(() => '---') as Row, ...rows].map((row) => `| ${row.join(' | ')} |`).join('\n');

const textTable = (rows: Row[]): string => {
  const all = [HEADER, ...rows];
  const widths = HEADER.map((_, column) => Math.max(...all.map((row) => row[column]?.length ?? 0)));
  return all.map((row) => row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ')).join('\n');
};

const heading = (results: BenchResults): string =>
  `shlkit benchmark, ${results.startedAt}, node ${results.node}, ${results.cpus} CPUs, load average ` +
  `${results.loadAverage.map((n) => n.toFixed(2)).join(' ')} at the start; ${results.settings.connections} ` +
  `connections, ${results.settings.trials} A B pair(s), ${count(results.settings.requests)} requests per shlkit trial` +
  `${results.settings.quick ? ' (BENCH_QUICK)' : ''}; took ${(results.seconds / 60).toFixed(1)} min`;

/** Every load in which a request got no 2xx answer, by database, link count and measure. */
export const problemLines = (results: BenchResults): string[] =>
  results.databases.flatMap((d) =>
    d.phases.flatMap((phase) =>
      phase.serving.flatMap((figures) =>
        figures.problems.map(
          (problem) => `${d.label}, ${count(phase.links)} links, ${figures.measure}: ${problem}`,
        ),
      ),
    ),
  );

const problemSection = (results: BenchResults, bullet: string): string[] => {
  const lines = problemLines(results);
  return lines.length === 0
    ? []
    : ['', '== unexpected answers (the run fails)', ...lines.map((line) => `${bullet}${line}`)];
};

const targetLines = (checks: TargetCheck[]): string[] =>
  checks.map((c) => `${c.status.padEnd(4)} ${c.database}: ${c.target}: ${c.measured}`);

/** The console report: a table per database, then one PASS/MISS line per target. */
export const textReport = (results: BenchResults, checks: TargetCheck[]): string =>
  [
    heading(results),
    ...results.databases.flatMap((d) => ['', `== ${d.label}`, textTable(rowsOf(d))]),
    ...problemSection(results, ''),
    '',
    '== targets (issue 10)',
    ...targetLines(checks),
  ].join('\n');

/** The same as markdown, for docs/performance.md. */
export const markdownReport = (results: BenchResults, checks: TargetCheck[]): string =>
  [
    `# ${heading(results)}`,
    ...results.databases.flatMap((d) => ['', `## ${d.label}`, '', markdownTable(rowsOf(d))]),
    ...problemSection(results, '- ').map((line) => line.replace(/^== (.*)$/, '## $1\n')),
    '',
    '## Targets (issue 10)',
    '',
    ...targetLines(checks).map((line) => `- ${line}`),
    '',
  ].join('\n');

/** Writes `bench.json` (every figure, every trial) and `bench.md` into `dir`. */
export const writeReports = (dir: string, results: BenchResults, checks: TargetCheck[]): void => {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'bench.json'), `${JSON.stringify({ ...results, targets: checks }, null, 2)}\n`);
  writeFileSync(join(dir, 'bench.md'), markdownReport(results, checks));
};
