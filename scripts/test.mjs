#!/usr/bin/env node
// The whole test suite, as the README and CI run it: lint and format check, type check, build the browser
// apps the end-to-end tests serve, then every package's tests. Ends with the line `N passed, N failed`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { relative } from 'node:path';

const steps = [
  ['format', 'npx', ['prettier', '--check', '.']],
  ['lint', 'npx', ['eslint', '--max-warnings=0', '.']],
  ['typecheck', 'npx', ['tsc', '-b']],
  ['typecheck tests', 'npx', ['tsc', '-p', 'tsconfig.test.json']],
  ['typecheck viewer tests', 'npx', ['tsc', '-p', 'packages/viewer/test/tsconfig.json']],
  ['typecheck admin tests', 'npx', ['tsc', '-p', 'packages/admin/test/tsconfig.json']],
  ['build', 'npm', ['run', 'build', '--workspaces', '--if-present']],
];

let passed = 0;
let failed = 0;
const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit', env: process.env }).status === 0;

for (const [name, cmd, args] of steps) {
  console.log(`\n== ${name}`);
  if (run(cmd, args)) passed += 1;
  else {
    failed += 1;
    console.error(`== ${name} failed`);
  }
}

mkdirSync('test-artifacts', { recursive: true });
const report = 'test-artifacts/vitest.json';
// A report left by an earlier run must not stand in for this one when vitest dies before writing its own.
rmSync(report, { force: true });
console.log('\n== tests');
const extra = process.argv.slice(2);
const ok = run('npx', [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${report}`,
  ...extra,
]);
if (existsSync(report)) {
  const result = JSON.parse(readFileSync(report, 'utf8'));
  passed += result.numPassedTests;
  failed += result.numFailedTests;
  // A file that fails to load or run (an import error, a throwing hook) fails no single test, yet each one
  // is a failure of its own: count 1 per file.
  const brokenFiles = result.testResults.filter(
    (file) => file.status === 'failed' && !file.assertionResults.some((test) => test.status === 'failed'),
  );
  for (const file of brokenFiles) {
    console.error(`== ${relative(process.cwd(), file.name)} failed to load or run: ${file.message ?? ''}`);
  }
  failed += brokenFiles.length;
  // vitest failed and its report shows no cause (an unhandled error, a global setup that threw).
  if (!ok && result.numFailedTests === 0 && brokenFiles.length === 0) failed += 1;
} else if (!ok) {
  failed += 1;
}

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
