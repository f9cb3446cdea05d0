#!/usr/bin/env node
// Lists mutants of a report as Stryker `--mutate` ranges, so that a second run tests exactly those:
// - by default, the mutants a run left out as static (MUTATE_IGNORE_STATIC=true: module-level code that no
//   single test covers), to test against chosen suites, every suite rerun for each;
// - with --survivors, the mutants that survived or were not covered, to rerun them in full (not
//   incrementally: Stryker 9 reuses a "survived" result when the only new coverage is a new test file)
//   once tests were written against them. summarise.mjs then merges the two reports.
// A range selects every mutant inside it, so a mutant that spans a block brings the mutants within that
// block along; summarise.mjs takes from the second report only the mutants the first left open.
// Usage: npx stryker run --mutate "$(node scripts/mutation/mutant-ranges.mjs [--survivors] reports/mutation/server.json)"
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const survivors = args.includes('--survivors');
const [file] = args.filter((arg) => arg !== '--survivors');
if (file === undefined)
  throw new Error('usage: mutant-ranges.mjs [--survivors] reports/mutation/<scope>.json');
const report = JSON.parse(readFileSync(file, 'utf8'));
const wanted = (mutant) =>
  survivors
    ? mutant.status === 'Survived' || mutant.status === 'NoCoverage'
    : mutant.status === 'Ignored' && String(mutant.statusReason ?? '').startsWith('Static mutant');
const ranges = [];
for (const [name, entry] of Object.entries(report.files)) {
  for (const mutant of entry.mutants) {
    if (!wanted(mutant)) continue;
    const { start, end } = mutant.location;
    // The report's columns are 1-based; a --mutate range's are 0-based, both ends included. Taken as is, a
    // range starts one column after its mutant and selects only the mutants nested inside it.
    ranges.push(`${name}:${start.line}:${start.column - 1}-${end.line}:${end.column - 1}`);
  }
}
if (ranges.length === 0) {
  throw new Error(
    `${file}: no mutant ${survivors ? 'survived or went uncovered' : 'was left out as static'}`,
  );
}
console.log([...new Set(ranges)].join(','));
