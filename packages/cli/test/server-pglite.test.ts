import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { samplePath, shlkit, startShlkit, waitFor } from './harness.js';
import { describeServerSuite } from './server-suite.js';

// The embedded database on disk rather than memory://: the operator commands (migrate, api-key, admin) open
// the same database as the server in separate steps, and the test reads it afterwards for plaintext.
describeServerSuite('embedded PGlite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'shlkit-cli-pglite-'));
  return { env: { DATA_DIR: dir }, drop: () => rm(dir, { recursive: true, force: true }) };
});

describe('shlkit serve with the in-memory database (DATA_DIR=memory://)', () => {
  it('serves links created and resolved through it, with the configured SHL_API_KEY', async () => {
    const token = 'cli-memory-test-token-0123456789';
    const server = startShlkit(['serve'], {
      env: {
        DATA_DIR: 'memory://',
        PORT: '0',
        HOST: '127.0.0.1',
        SHL_DEMO: 'false',
        LOG_LEVEL: 'silent',
        SHL_API_KEY: token,
      },
    });
    try {
      const url = await waitFor(server, () => /listening on (\S+)/.exec(server.stdout())?.[1]);
      const env = { SHLKIT_SERVER: url, SHLKIT_API_KEY: token };
      const created = await shlkit(['create', samplePath('ips/full_ips.json'), '--expires', '1h'], { env });
      expect(created.stderr).toBe('');
      expect(created.stdout).toMatch(/^expires: .* UTC \(in \d+ minutes\)$/m);
      const shlink = /^shlink: {2}(\S+)$/m.exec(created.stdout)?.[1] ?? '';
      const resolved = await shlkit(['resolve', shlink, '--allow-insecure-network', '--json']);
      expect(resolved.json<{ files: { json: unknown }[] }>().files[0]?.json).toEqual(
        JSON.parse(await readFile(samplePath('ips/full_ips.json'), 'utf8')),
      );
    } finally {
      server.stop();
      expect(await server.done).toBe(0);
    }
    expect(server.stdout()).toContain('shlkit server stopped.');
  });
});
