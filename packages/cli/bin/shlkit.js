#!/usr/bin/env node
// The `shlkit` launcher. It stays plain JavaScript and tiny so that it can be committed and linked by npm
// before anything is built; the command itself is compiled TypeScript in ../dist (`tsc -b`).
import { existsSync } from 'node:fs';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write(
    'shlkit: the command is not built yet (packages/cli/dist/main.js is missing).\n' +
      'Run `npm run build` (or `npx tsc -b`) in the repository root first.\n',
  );
  process.exit(1);
}
await import(main.href);
