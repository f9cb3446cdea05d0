import {
  createManagementClient,
  isManagementApiError,
  type ManagementApiError,
  type ManagementClient,
} from '@shlkit/api';
import { CliError, EXIT_CODES, usageError } from '../errors.js';
import type { Io } from '../io.js';
import { createProgress, withUploadProgress } from './progress.js';

export interface ServerFlags {
  server?: string | undefined;
  'api-key'?: string | undefined;
}

/**
 * The management API of the server that `--server`/`SHLKIT_SERVER` names, with the key of
 * `--api-key`/`SHLKIT_API_KEY`: the typed client of `@shlkit/api`, whose every failure arrives as a
 * `CliError` with an exit code and a hint. On a terminal, large request bodies show upload progress.
 * @throws {CliError} `CLI_USAGE` (exit 2) when the server or the key is missing or the server is no URL
 */
export const connectManagementApi = (command: string, flags: ServerFlags, io: Io): ManagementClient => {
  const server = flags.server ?? io.env.SHLKIT_SERVER;
  const apiKey = flags['api-key'] ?? io.env.SHLKIT_API_KEY;
  if (server === undefined || server === '') {
    throw usageError(
      'no server given',
      `Pass --server https://your-shl-server or set SHLKIT_SERVER (see \`shlkit ${command} --help\`).`,
    );
  }
  let base: URL;
  try {
    base = new URL(server);
  } catch {
    throw usageError(
      `--server "${server}" is not a URL`,
      'Give the base URL, for example https://shl.example.org.',
    );
  }
  if (apiKey === undefined || apiKey === '') {
    throw usageError(
      'no API key given',
      'Pass --api-key or set SHLKIT_API_KEY; an operator creates one with `shlkit api-key create NAME`.',
    );
  }
  const client = createManagementClient({
    baseUrl: base,
    auth: { bearer: apiKey },
    // Streamed only when someone watches the progress: otherwise a plain string body gets a Content-Length.
    fetch: io.stderr.isTTY ? withUploadProgress(io.fetch, createProgress(io)) : io.fetch,
  });
  return withCliErrors(client, (error) => toCliError(error, base));
};

/** The same client, every method of which throws `mapError(error)` instead of `error`. */
const withCliErrors = (client: ManagementClient, mapError: (error: unknown) => unknown): ManagementClient => {
  const wrapped: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(client) as [
    string,
    (...args: unknown[]) => Promise<unknown>,
  ][]) {
    wrapped[name] = async (...args: unknown[]) => {
      try {
        return await method(...args);
      } catch (error) {
        throw mapError(error);
      }
    };
  }
  return wrapped as unknown as ManagementClient;
};

const describeCause = (cause: unknown): string => {
  const inner = (cause as { cause?: { code?: string; message?: string } }).cause;
  return inner?.code ?? inner?.message ?? (cause as Error).message;
};

/** A client error as the CLI reports it: exit 5 for no answer, 3 for not found, 7 for every other refusal. */
const toCliError = (error: unknown, base: URL): unknown => {
  if (!isManagementApiError(error)) return error;
  const details: Record<string, unknown> = error.status === undefined ? {} : { status: error.status };
  if (error.code === 'SHL_NETWORK_ERROR') {
    return new CliError(
      'CLI_NETWORK_ERROR',
      EXIT_CODES.NETWORK,
      `cannot reach the server at ${base.origin}: ${describeCause(error.cause)}`,
      {
        cause: error,
        hint: 'Check --server / SHLKIT_SERVER and that the server is running (`shlkit serve`).',
      },
    );
  }
  if (error.code === 'SHL_INVALID_RESPONSE') {
    return new CliError('CLI_API_ERROR', EXIT_CODES.SERVER, error.message, {
      cause: error,
      details,
      hint: 'Is --server really a shlkit server, of the same version as this command?',
    });
  }
  return refusal(error, { ...details, serverCode: error.code });
};

const refusal = (error: ManagementApiError, details: Record<string, unknown>): CliError => {
  const where = `${error.method} ${error.path}`;
  const status = error.status ?? 0;
  if (status === 401 || status === 403) {
    return new CliError(
      'CLI_API_UNAUTHORIZED',
      EXIT_CODES.SERVER,
      `the server refused the API key (${status}): ${error.message}`,
      {
        cause: error,
        details,
        hint: 'Check --api-key / SHLKIT_API_KEY; an operator creates keys with `shlkit api-key create NAME`.',
      },
    );
  }
  if (status === 404) {
    return new CliError('CLI_NOT_FOUND', EXIT_CODES.INACTIVE, `not found: ${where} (${error.message})`, {
      cause: error,
      details,
      hint: 'Check the link id with `shlkit links list`.',
    });
  }
  return new CliError(
    'CLI_API_ERROR',
    EXIT_CODES.SERVER,
    `the server answered ${status} to ${where}: ${error.message}`,
    {
      cause: error,
      details: error.field === undefined ? details : { ...details, field: error.field },
      hint: status >= 500 ? 'The server failed; its log says why.' : 'Fix the request as the message says.',
    },
  );
};
