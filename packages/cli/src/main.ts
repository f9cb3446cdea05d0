// The `shlkit` process: the only module that reads process.argv, the environment and the real streams.
import { getEventListeners } from 'node:events';
import { provideUint8ArrayFromBase64, provideUint8ArrayToBase64 } from '@shlkit/core';
import { runCli } from './cli.js';

// `create` encrypts with jose and `resolve` decrypts with it; jose encodes and decodes base64url with these
// methods where they exist, and otherwise in JavaScript, which took most of the time spent on a 1.8 MB
// IPS (decision 0012).
provideUint8ArrayToBase64();
provideUint8ArrayFromBase64();

// A long-running command (serve) listens on `stop` to shut down cleanly; any other command is simply
// interrupted, as a shell user expects from Ctrl-C.
const stop = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (getEventListeners(stop.signal, 'abort').length === 0) process.exit(130);
    stop.abort();
  });
}

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  fetch: globalThis.fetch,
  stop: stop.signal,
});
process.exitCode = code;
