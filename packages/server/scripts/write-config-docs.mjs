#!/usr/bin/env node
// Writes the configuration table generated from packages/server/src/config/config.schema.ts into each README
// between <!-- config:start --> and <!-- config:end -->. Run it as `npm run docs:config`, which builds first.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CONFIG_DOCS_FILES, replaceConfigTable } from '../dist/config/config-docs.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

for (const file of CONFIG_DOCS_FILES) {
  const path = `${repoRoot}${file}`;
  const before = readFileSync(path, 'utf8');
  const after = replaceConfigTable(before);
  if (after !== before) writeFileSync(path, after);
  console.log(`${file}: ${after === before ? 'up to date' : 'configuration table written'}`);
}
