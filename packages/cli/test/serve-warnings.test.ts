import { describe, expect, it } from 'vitest';
import { shlkit } from './harness.js';

// `shlkit serve` with no stop signal starts the server and stops it at once: enough to see the start path.
const env = { PORT: '0', HOST: '127.0.0.1', DATA_DIR: 'memory://', SHL_DEMO: 'false', LOG_LEVEL: 'silent' };

describe('shlkit serve and the configuration', () => {
  it('warns on stderr about SHL_POLL_INTERVAL=60, naming SHL_POLL_INTERVAL_SECONDS, and still starts', async () => {
    const run = await shlkit(['serve'], { env: { ...env, SHL_POLL_INTERVAL: '60' } });
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      'shlkit: warning: SHL_POLL_INTERVAL is not a setting of this server and is ignored; did you mean SHL_POLL_INTERVAL_SECONDS?',
    );
    expect(run.stdout).toContain('shlkit server listening on');
  });

  it('--json writes the warning as a {"warning": ...} line with its code', async () => {
    const run = await shlkit(['serve', '--json'], { env: { ...env, SHL_DEMOO: 'false' } });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stderr.split('\n')[0] ?? '')).toMatchObject({
      warning: { code: 'SHL_CONFIG_UNKNOWN_VARIABLE', variable: 'SHL_DEMOO', suggestion: 'SHL_DEMO' },
    });
  });

  it('refuses a bad value with SHL_CONFIG_INVALID naming the variable', async () => {
    const run = await shlkit(['serve', '--json'], { env: { ...env, SHL_POLL_INTERVAL_SECONDS: '1m' } });
    expect(run.code).not.toBe(0);
    expect(run.error()).toMatchObject({ code: 'SHL_CONFIG_INVALID' });
    expect(String(run.error().message)).toMatch(/^SHL_POLL_INTERVAL_SECONDS:/);
  });
});
