#!/usr/bin/env node
// Prints the score of a mutation report (reports/mutation/<scope>.json) per file, and every surviving
// or uncovered mutant as a Markdown list, for docs/mutation.md. Score = (killed + timeout) / valid mutants,
// where valid excludes ignored mutants and those that did not compile or run.
// Given several reports of one scope, later reports fill in the first: a mutant the first left out as
// static (a run with MUTATE_IGNORE_STATIC=true, then a run of its static mutants alone), or that survived
// or was not covered there (then a full, not incremental, rerun of the survivors alone with the tests
// written since: `mutant-ranges.mjs --survivors`), takes its result from a later report that tested it.
// A mutant the first killed stays killed: tests were added, none taken away. docs/mutation.md.
// Usage: node scripts/mutation/summarise.mjs reports/mutation/core.json [more.json ...]
import { readFileSync } from 'node:fs';

const files = process.argv.slice(2);
if (files.length === 0) throw new Error('usage: summarise.mjs reports/mutation/<scope>.json [more.json ...]');
const [first, ...rest] = files.map((file) => JSON.parse(readFileSync(file, 'utf8')));
const where = (mutant) =>
  `${mutant.location.start.line}:${mutant.location.start.column}-${mutant.location.end.line}:${mutant.location.end.column} ${mutant.mutatorName} ${mutant.replacement}`;
// What a later report may settle: left out (static), survived, not covered.
const OPEN = new Set(['Ignored', 'Survived', 'NoCoverage']);
for (const later of rest) {
  for (const [name, entry] of Object.entries(later.files)) {
    const target = first.files[name];
    if (target === undefined) continue;
    // A later run's result counts unless that run, too, left the mutant out as static; a mutant it ignored
    // by an ignorer (wording, documentation) is ignored from then on.
    const tested = (m) => m.status !== 'Ignored' || !String(m.statusReason ?? '').startsWith('Static mutant');
    const results = new Map(entry.mutants.filter(tested).map((m) => [where(m), m]));
    target.mutants = target.mutants.map((mutant) =>
      OPEN.has(mutant.status) && results.has(where(mutant)) ? results.get(where(mutant)) : mutant,
    );
  }
}
const report = first;
const INVALID = new Set(['Ignored', 'CompileError', 'RuntimeError']);
const rows = [];
const survivors = [];
const total = { killed: 0, timeout: 0, survived: 0, noCoverage: 0, valid: 0, ignored: 0 };
for (const [name, entry] of Object.entries(report.files)) {
  const count = { killed: 0, timeout: 0, survived: 0, noCoverage: 0, valid: 0, ignored: 0 };
  const lines = entry.source.split('\n');
  for (const mutant of entry.mutants) {
    if (mutant.status === 'Ignored') count.ignored += 1;
    if (INVALID.has(mutant.status)) continue;
    count.valid += 1;
    if (mutant.status === 'Killed') count.killed += 1;
    if (mutant.status === 'Timeout') count.timeout += 1;
    if (mutant.status === 'Survived' || mutant.status === 'NoCoverage') {
      count[mutant.status === 'Survived' ? 'survived' : 'noCoverage'] += 1;
      const line = mutant.location.start.line;
      const code = (lines[line - 1] ?? '').trim().slice(0, 90).replaceAll('`', "'");
      const replacement = String(mutant.replacement ?? '')
        .replaceAll('\n', ' ')
        .slice(0, 60)
        .replaceAll('`', "'");
      survivors.push(
        `- \`${name}:${line}\` ${mutant.status} ${mutant.mutatorName}: \`${code}\` → \`${replacement}\``,
      );
    }
  }
  for (const key of Object.keys(total)) total[key] += count[key];
  rows.push([name, count]);
}
const score = (count) =>
  count.valid === 0 ? 'n/a' : `${((100 * (count.killed + count.timeout)) / count.valid).toFixed(2)} %`;
console.log('| file | valid | killed | timeout | survived | no coverage | ignored | score |');
console.log('|---|---|---|---|---|---|---|---|');
for (const [name, count] of [...rows, ['all', total]]) {
  console.log(
    `| ${name} | ${count.valid} | ${count.killed} | ${count.timeout} | ${count.survived} | ${count.noCoverage} | ${count.ignored} | ${score(count)} |`,
  );
}
console.log(`\n${survivors.length} surviving or uncovered mutants:\n`);
for (const line of survivors) console.log(line);
