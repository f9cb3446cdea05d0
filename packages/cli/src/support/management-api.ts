import { CliError, EXIT_CODES, usageError } from '../errors.js';
import type { Io } from '../io.js';
import { createProgress, uploadBody } from './progress.js';

/** A connection to a shlkit server's management API (bearer token). */
export interface ManagementApi {
  server: string;
  request<T>(method: string, path: string, body?: unknown): Promise<T>;
  requestBytes(path: string): Promise<Uint8Array>;
}

export interface ServerFlags {
  server?: string | undefined;
  'api-key'?: string | undefined;
}

export const connectManagementApi = (command: string, flags: ServerFlags, io: Io): ManagementApi => {
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
    base = new URL(server.endsWith('/') ? server : `${server}/`);
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
  const call = async (method: string, path: string, body?: unknown): Promise<Response> => {
    const url = new URL(path.replace(/^\//, ''), base);
    const headers: Record<string, string> = { authorization: `Bearer ${apiKey}`, accept: 'application/json' };
    let init: RequestInit & { duplex?: 'half' } = { method, headers };
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      const text = JSON.stringify(body);
      const progress = createProgress(io);
      // Streamed only when someone watches the progress: a plain string body gets a Content-Length.
      init =
        io.stderr.isTTY && text.length > 64 * 1024
          ? { ...init, body: uploadBody(text, progress), duplex: 'half' }
          : { ...init, body: text };
    }
    let response: Response;
    try {
      response = await io.fetch(url, init);
    } catch (cause) {
      throw new CliError(
        'CLI_NETWORK_ERROR',
        EXIT_CODES.NETWORK,
        `cannot reach the server at ${base.origin}: ${describeCause(cause)}`,
        { cause, hint: 'Check --server / SHLKIT_SERVER and that the server is running (`shlkit serve`).' },
      );
    }
    if (!response.ok) throw await apiError(response, method, url);
    return response;
  };
  return {
    server: base.href,
    async request<T>(method: string, path: string, body?: unknown): Promise<T> {
      const response = await call(method, path, body);
      if (response.status === 204) return undefined as T;
      const text = await response.text();
      if (text === '') return undefined as T;
      try {
        return JSON.parse(text) as T;
      } catch (cause) {
        throw new CliError(
          'CLI_API_ERROR',
          EXIT_CODES.SERVER,
          `the server answered ${method} ${url(path)} with non-JSON`,
          {
            cause,
            hint: 'Is --server really a shlkit server?',
          },
        );
      }
    },
    async requestBytes(path: string): Promise<Uint8Array> {
      const response = await call('GET', path);
      return new Uint8Array(await response.arrayBuffer());
    },
  };

  function url(path: string): string {
    return new URL(path.replace(/^\//, ''), base).pathname;
  }
};

const describeCause = (cause: unknown): string => {
  const inner = (cause as { cause?: { code?: string; message?: string } }).cause;
  return inner?.code ?? inner?.message ?? (cause as Error).message;
};

const apiError = async (response: Response, method: string, url: URL): Promise<CliError> => {
  const text = await response.text().catch(() => '');
  let message = text.slice(0, 500);
  let code: string | undefined;
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    const error = (typeof body.error === 'object' && body.error !== null ? body.error : body) as Record<
      string,
      unknown
    >;
    if (typeof error.message === 'string') message = error.message;
    if (typeof error.code === 'string') code = error.code;
  } catch {
    // Not JSON: keep the text as the message.
  }
  const where = `${method} ${url.pathname}`;
  const details = { status: response.status, ...(code === undefined ? {} : { serverCode: code }) };
  if (response.status === 401 || response.status === 403) {
    return new CliError(
      'CLI_API_UNAUTHORIZED',
      EXIT_CODES.SERVER,
      `the server refused the API key (${response.status}): ${message}`,
      {
        details,
        hint: 'Check --api-key / SHLKIT_API_KEY; an operator creates keys with `shlkit api-key create NAME`.',
      },
    );
  }
  if (response.status === 404) {
    return new CliError(
      'CLI_NOT_FOUND',
      EXIT_CODES.INACTIVE,
      `not found: ${where}${message ? ` (${message})` : ''}`,
      {
        details,
        hint: 'Check the link id with `shlkit links list`.',
      },
    );
  }
  return new CliError(
    'CLI_API_ERROR',
    EXIT_CODES.SERVER,
    `the server answered ${response.status} to ${where}: ${message}`,
    {
      details,
      hint:
        response.status >= 500
          ? 'The server failed; its log says why.'
          : 'Fix the request as the message says.',
    },
  );
};
