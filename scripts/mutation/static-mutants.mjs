#!/usr/bin/env node
// Lists the mutants a run left out as static (MUTATE_IGNORE_STATIC=true: module-level code that no single
// test covers) as Stryker `--mutate` ranges, so that a second run can test exactly those against chosen
// suites, every suite rerun for each. A range selects every mutant inside it, so a static mutant that
// spans a block brings the mutants within that block along (tested: the five static mutants marked in a
// copy of the files group's report selected exactly those five).
// Usage: npx stryker run --mutate "$(node scripts/mutation/static-mutants.mjs reports/mutation/server.json)"
import { readFileSync } from 'node:fs';

const [file] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: static-mutants.mjs reports/mutation/<scope>.json');
const report = JSON.parse(readFileSync(file, 'utf8'));
const ranges = [];
for (const [name, entry] of Object.entries(report.files)) {
  for (const mutant of entry.mutants) {
    if (mutant.status !== 'Ignored' || !String(mutant.statusReason ?? '').startsWith('Static mutant'))
      continue;
    const { start, end } = mutant.location;
    // Stryker's columns here are 1-based; a --mutate range takes the same numbers.
    ranges.push(`${name}:${start.line}:${start.column}-${end.line}:${end.column}`);
  }
}
if (ranges.length === 0) throw new Error(`${file}: no mutant was left out as static`);
console.log([...new Set(ranges)].join(','));
