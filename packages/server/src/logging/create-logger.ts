import pino, { type DestinationStream, type Logger } from 'pino';
import { serializeRequest } from './request-logging.js';
import { serializeError } from './serialize-error.js';

/**
 * Fields that must never reach a log line whatever code logs them, as pino paths: credentials in request
 * headers, and the secret and personal fields of our bodies if a line ever carries one. A second line of
 * defence: request lines carry no headers or bodies, and errors go through `serializeError`.
 */
export const REDACTED_PATHS: readonly string[] = Object.freeze([
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.authorization',
  '*.cookie',
  '*.password',
  '*.passcode',
  '*.recipient',
  '*.label',
  '*.token',
  '*.ticket',
  '*.key',
  '*.jwe',
  '*.params',
  '*.parameters',
]);

export interface LoggerOptions {
  level: string;
  /** Where lines go; standard output when left out (tests pass a stream to read the lines back). */
  destination?: DestinationStream;
}

/**
 * The server's logger: pino, JSON lines, with `serializeError` for `err`, `serializeRequest` for `req`
 * and `REDACTED_PATHS` censored.
 * Per-request lines carry `reqId` (Fastify binds it) and go through `childLoggerFactory`
 * (logging/request-logging.ts), which redacts paths.
 */
export const createLogger = (options: LoggerOptions): Logger => {
  const settings = {
    level: options.level,
    serializers: { err: serializeError, req: serializeRequest },
    redact: { paths: [...REDACTED_PATHS], censor: '<redacted>' },
  };
  return options.destination === undefined ? pino(settings) : pino(settings, options.destination);
};
