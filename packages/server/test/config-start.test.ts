import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, type ServerProcess, spawnServer } from './support/spawn-server.js';

// The start path for real: `node dist/main.js` reads process.env, and its logger tells the operator.
describe('starting the server', () => {
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    buildServer();
    server = await spawnServer({ DATA_DIR: 'memory://', SHL_POLL_INTERVAL: '60' });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('logs a warning for SHL_POLL_INTERVAL=60 that names SHL_POLL_INTERVAL_SECONDS, and still starts', () => {
    const warning = (server?.output() ?? '')
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((entry) => entry.code === 'SHL_CONFIG_UNKNOWN_VARIABLE');
    expect(warning).toMatchObject({
      level: 40,
      variable: 'SHL_POLL_INTERVAL',
      suggestion: 'SHL_POLL_INTERVAL_SECONDS',
    });
    expect(warning?.msg).toContain('did you mean SHL_POLL_INTERVAL_SECONDS?');
    expect(server?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});
