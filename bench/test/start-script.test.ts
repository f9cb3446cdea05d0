import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startScriptNodeFlags } from '../src/spawn-server.js';

describe('the Node flags the bench starts the server with', () => {
  it('are the words between node and the entry point of the start script', () => {
    expect(startScriptNodeFlags('npm run build && node packages/server/dist/main.js')).toEqual([]);
    expect(
      startScriptNodeFlags(
        'npm run build && node --max-semi-space-size=8 --enable-source-maps packages/server/dist/main.js',
      ),
    ).toEqual(['--max-semi-space-size=8', '--enable-source-maps']);
  });

  it('refuse a start script that does not run the server with node', () => {
    expect(() => startScriptNodeFlags('npm run build && tsx packages/server/src/main.ts')).toThrow(
      /does not run node/,
    );
    expect(() => startScriptNodeFlags('')).toThrow(/does not run node/);
  });

  it("are read from this repository's own start script", () => {
    const root = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      scripts: { start: string };
    };
    expect(startScriptNodeFlags(root.scripts.start)).toContain('--max-semi-space-size=8');
  });
});
