import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { spawnNode } from '../src/child-process.js';
import { planCpuPlacement, tasksetAvailable } from '../src/cpu-placement.js';

describe('where the bench runs its load generator and its bare baseline', () => {
  it('gives autocannon the last CPU and the bare baseline the others', () => {
    expect(planCpuPlacement(2, true, true)).toMatchObject({ load: '1', bare: '0' });
    expect(planCpuPlacement(4, true, true)).toMatchObject({ load: '3', bare: '0-2' });
    expect(planCpuPlacement(2, true, true).summary).toBe(
      'autocannon on CPU 1, bare node:http on CPU 0; shlkit and PostgreSQL unpinned',
    );
  });

  it('pins nothing, and says why, with one CPU, without taskset, or when told not to', () => {
    expect(planCpuPlacement(1, true, true)).toEqual({
      load: undefined,
      bare: undefined,
      summary: 'not pinned (one CPU)',
    });
    expect(planCpuPlacement(2, true, false).summary).toBe('not pinned (no taskset on this machine)');
    expect(planCpuPlacement(8, false, true)).toMatchObject({ load: undefined, bare: undefined });
  });

  // Linux only: the kernel says which CPUs a process may run on in /proc/<pid>/status. Under CI the
  // machine must have taskset (util-linux), so the test runs, and fails without it, rather than skips.
  it.runIf(process.platform === 'linux' && (tasksetAvailable() || process.env.CI === 'true'))(
    'starts a pinned child on exactly those CPUs, under its own pid',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'shlkit-bench-pin-'));
      const script = join(dir, 'affinity.mjs');
      writeFileSync(
        script,
        "import { readFileSync } from 'node:fs';\n" +
          "const status = readFileSync('/proc/self/status', 'utf8');\n" +
          'console.log(JSON.stringify({ pid: process.pid, cpus: /Cpus_allowed_list:\\s*(\\S+)/.exec(status)?.[1] }));\n',
      );
      try {
        const child = spawnNode(pathToFileURL(script), [], {}, [], '0');
        let out = '';
        child.process.stdout!.on('data', (chunk: Buffer) => {
          out += chunk.toString('utf8');
        });
        expect(await child.exited).toBe(0);
        expect(JSON.parse(out)).toEqual({ pid: child.pid, cpus: '0' });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
