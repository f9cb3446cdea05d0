import { generatedKekWarning, parseConfig, startServer } from '@shlkit/server';
import { JSON_OPTION, parseCommandArgs, requirePositionals } from '../args.js';
import type { Command } from '../command.js';
import { writeJson, writeLine } from '../io.js';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'run the SHL server (same as `npm start`)',
  help: `Usage: shlkit serve [--json]

Runs the shlkit server: manifest and file endpoints, the management API, the viewer at /view.
Configured by the environment, exactly like \`npm start\`:

  PORT (8080), HOST (0.0.0.0), PUBLIC_BASE_URL (http://localhost:PORT), DATABASE_URL (postgres://...,
  unset = embedded database), DATA_DIR (./data; memory:// for a throwaway one), SHL_API_KEY (a bearer
  token with full rights), SHL_DEMO, LOG_LEVEL, ... (the server README lists them all)

Stops cleanly on Ctrl-C (SIGINT) or SIGTERM.

Options:
  --json        print {url, publicBaseUrl} once listening
  -h, --help    show this help

Example:
  PORT=8080 PUBLIC_BASE_URL=https://shl.example.org DATA_DIR=/var/lib/shlkit shlkit serve`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs('serve', argv, { ...JSON_OPTION });
    requirePositionals('serve', positionals, { min: 0, max: 0 }, '');
    const { config, warnings } = parseConfig(io.env);
    // An unknown SHL_* variable (a typo such as SHL_POLL_INTERVAL) would otherwise be ignored in silence.
    for (const warning of warnings) {
      if (values.json) io.stderr.write(`${JSON.stringify({ warning })}\n`);
      else writeLine(io.stderr, `shlkit: warning: ${warning.message}`);
    }
    const server = await startServer({ config });
    const publicBaseUrl = server.config.publicBaseUrl ?? server.url;
    // Said at every start while the key sits beside the data (key-wrapping/kek-warning.ts says why).
    const kekWarning = generatedKekWarning(server.keyEncryptionKey);
    if (kekWarning !== undefined) for (const line of kekWarning) writeLine(io.stderr, line);
    if (values.json) writeJson(io, { url: server.url, publicBaseUrl });
    else {
      writeLine(io.stdout, `shlkit server listening on ${server.url}`);
      writeLine(
        io.stdout,
        `links:  ${publicBaseUrl}/shl/...   viewer: ${publicBaseUrl}/view   (Ctrl-C stops)`,
      );
    }
    // Runs until `io.stop` fires; an Io without a stop signal cannot be stopped later, so it stops at once.
    await new Promise<void>((stopped) => {
      if (io.stop === undefined || io.stop.aborted) {
        stopped();
        return;
      }
      io.stop.addEventListener('abort', () => stopped(), { once: true });
    });
    await server.close();
    if (!values.json) writeLine(io.stdout, 'shlkit server stopped.');
    return 0;
  },
};
