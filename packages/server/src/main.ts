// The server's entry point: the only module that reads the environment, listens and prints.
import { provideUint8ArrayFromBase64, provideUint8ArrayToBase64 } from '@shlkit/core';
import { type ParsedConfig, parseConfig } from './config.js';
import { isServerError } from './errors.js';
import { createLogger } from './logging/create-logger.js';
import { generatedKekWarning } from './key-wrapping/kek-warning.js';
import { startServer } from './server.js';

const main = async (): Promise<void> => {
  // jose encodes and decodes JWEs with these. Without them, jose does it in JavaScript, and encrypting a
  // 1.8 MB IPS took five times as long (decision 0012).
  provideUint8ArrayToBase64();
  provideUint8ArrayFromBase64();
  let parsed: ParsedConfig;
  try {
    parsed = parseConfig(process.env);
  } catch (error) {
    if (isServerError(error)) {
      console.error(`shlkit: configuration error: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  const { config, warnings } = parsed;
  const logger = createLogger({ level: config.logLevel });
  // Told before anything else, so a typo like SHL_POLL_INTERVAL=60 is not silently ignored.
  for (const { code, variable, suggestion, message } of warnings) {
    logger.warn({ code, variable, suggestion }, message);
  }
  const server = await startServer({ config, logger, bootstrapApiKey: true });
  const database =
    config.databaseUrl === undefined
      ? config.dataDir === 'memory://'
        ? 'embedded PGlite, in memory: volatile, every link is lost when this process stops'
        : `embedded PGlite in ${config.dataDir}/pglite (each write on disk before it is answered)`
      : 'PostgreSQL (DATABASE_URL)';
  const lines = [
    '',
    `shlkit sharing server listening on ${server.url}`,
    `  database:      ${database}`,
    `  API docs:      ${server.url}/docs  (OpenAPI: ${server.url}/openapi.json)`,
    `  viewer:        ${server.url}/view`,
    `  health:        ${server.url}/healthz (process), ${server.url}/readyz (database)`,
  ];
  if (server.firstApiKey !== undefined) {
    lines.push(
      `  API key:       ${server.firstApiKey.token}`,
      '                 (created on this first start and shown only now; keep it. Create more with',
      '                 POST /api/keys, or set SHL_API_KEY to a token of your own.)',
    );
  } else if (config.apiKey !== undefined) {
    lines.push('  API key:       SHL_API_KEY is set: use it as "Authorization: Bearer <SHL_API_KEY>"');
  } else {
    lines.push(
      '  API key:       set SHL_API_KEY=<a long random token> and restart, use the key printed on the',
      '                 first start, or create one with POST /api/keys.',
    );
  }
  if (server.adminAccount !== undefined) {
    lines.push(
      `  admin account: ${server.adminAccount.username} ${server.adminAccount.outcome} from SHL_ADMIN_USER/SHL_ADMIN_PASSWORD;`,
      `                 sign in with POST ${server.url}/api/session`,
    );
  } else if (server.noAdminAccount) {
    lines.push(
      '  admin account: none yet. Create one with `shlkit admin create-user USERNAME` (same DATABASE_URL or',
      '                 DATA_DIR), or set SHL_ADMIN_USER and SHL_ADMIN_PASSWORD (12+ characters) and restart.',
    );
  }
  if (server.demo?.viewerUrl !== undefined) {
    lines.push(
      `  demo link:     ${server.demo.viewerUrl}`,
      '                 (open it in a browser; SHL_DEMO=false turns this off)',
    );
  }
  lines.push(
    `  try:           curl -X POST ${server.url}/api/links -H "Authorization: Bearer <key>" \\`,
    `                   -H "content-type: application/json" -d '{"content": {"resourceType": "Patient"}}'`,
    '',
  );
  process.stdout.write(`${lines.join('\n')}\n`);
  const kekWarning = generatedKekWarning(server.keyEncryptionKey);
  if (kekWarning !== undefined) {
    logger.warn({ file: server.keyEncryptionKey.file }, 'the key-encryption key lies in the data folder');
    process.stderr.write(`\n${kekWarning.join('\n')}\n\n`);
  }

  // SIGTERM (an orchestrator) or SIGINT (Ctrl-C): stop accepting connections at once, let the requests in
  // flight finish, close idle keep-alive connections and the database, and exit 0. Requests still running
  // after SHUTDOWN_TIMEOUT_MS are cut off and the exit is 1, so a hung request or database cannot keep
  // the process alive past the orchestrator's patience (Kubernetes sends SIGKILL after 30 s by default).
  let closing = false;
  const stop = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info(
      { signal, timeoutMs: config.shutdownTimeoutMs },
      'shutting down: draining requests in flight',
    );
    const deadline = setTimeout(() => {
      logger.error(
        { timeoutMs: config.shutdownTimeoutMs },
        'requests still in flight after SHUTDOWN_TIMEOUT_MS: cut off',
      );
      process.exit(1);
    }, config.shutdownTimeoutMs);
    server.close().then(
      () => {
        clearTimeout(deadline);
        logger.info('shut down');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
};

main().catch((error: unknown) => {
  console.error('shlkit: the server could not start:', isServerError(error) ? error.message : error);
  process.exit(1);
});
