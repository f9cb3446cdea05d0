import { isErrorCode, isWireErrorCode } from '@shlkit/core';
import type { TSchema } from 'typebox';
import { Check, Errors } from 'typebox/value';
import type { RouteAnswer, RouteContract, RouteInput } from '../routes/route-contract.js';
import { ManagementApiError } from './management-api-error.js';

/** How every call reaches the server; built once by `createManagementClient`. */
export interface Connection {
  /** Ends with `/`, so that a path prefix (`https://host/prefix/`) is kept. */
  base: URL;
  /** `authorization`, or `x-csrf-token` (and `cookie` outside browsers) for a session. */
  credentials: Readonly<Record<string, string>>;
  fetch: typeof fetch;
  checkAnswers: boolean;
}

const MAX_MESSAGE_TEXT = 200;

const fillPath = (route: RouteContract, params: Record<string, unknown> | undefined): string =>
  route.path.replace(/:([A-Za-z]+)/g, (_match, name: string) => {
    const value = params?.[name];
    if (value === undefined || value === null || value === '') {
      throw new TypeError(`${route.method} ${route.path} needs params.${name}`);
    }
    return encodeURIComponent(String(value));
  });

const queryString = (query: Record<string, unknown> | undefined): string => {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined) search.set(name, String(value));
  }
  return search.size > 0 ? `?${search}` : '';
};

/**
 * The `error` of an error body, checked by hand rather than against `ErrorBodySchema`: that schema lists
 * this version's codes, and an unknown code is still an error body.
 */
const errorOf = (text: string): { code: string; message: string; field?: string } | undefined => {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON (a proxy's error page): the status and the start of the text are all there is.
    return undefined;
  }
  const error = (body as { error?: Record<string, unknown> } | null)?.error;
  if (typeof error?.code !== 'string' || typeof error.message !== 'string') return undefined;
  return {
    code: error.code,
    message: error.message,
    ...(typeof error.field === 'string' ? { field: error.field } : {}),
  };
};

/** The first schema error of a value, as `path message`, for an `SHL_INVALID_RESPONSE` message. */
const firstProblem = (schema: TSchema, value: unknown): string => {
  const [first] = Errors(schema, value);
  return first === undefined ? 'does not match' : `${first.instancePath || '/'} ${first.message}`;
};

/**
 * Sends one request of a route and decodes its answer. `route.answers` says what a success looks like;
 * any other status is an error.
 *
 * @returns the decoded success answer: JSON (checked against the route's schema unless
 *   `connection.checkAnswers` is false), bytes, text, or `undefined` for 204.
 * @throws {ManagementApiError} the server's `code` (`SHL_UNAUTHORIZED`, `SHL_NOT_FOUND`,
 *   `SHL_VALIDATION_FAILED`...) for an error answer; `SHL_NETWORK_ERROR` when there was no answer;
 *   `SHL_INVALID_RESPONSE` for an answer outside the contract.
 * @throws {TypeError} when a path parameter is missing (a caller bug, nothing was sent).
 */
export const callRoute = async <R extends RouteContract>(
  route: R,
  input: RouteInput<R>,
  connection: Connection,
): Promise<RouteAnswer<R>> => {
  const {
    params,
    query,
    body,
    headers: extra,
  } = input as {
    params?: Record<string, unknown>;
    query?: Record<string, unknown>;
    headers?: Record<string, string | undefined>;
    body?: unknown;
  };
  const path = fillPath(route, params);
  const url = new URL(`${path.replace(/^\//, '')}${queryString(query)}`, connection.base);
  const request = { method: route.method, path: url.pathname };
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(extra ?? {})) if (value !== undefined) headers[name] = value;
  Object.assign(headers, connection.credentials);
  // Error answers are JSON whatever the success answer is.
  headers.accept =
    route.mediaType === undefined ? 'application/json' : `${route.mediaType}, application/json;q=0.5`;
  const init: RequestInit = { method: route.method, headers };
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(body);
  }

  let response: Response;
  try {
    response = await connection.fetch(url, init);
  } catch (cause) {
    throw new ManagementApiError(
      'SHL_NETWORK_ERROR',
      `no answer from ${url.origin} to ${route.method} ${url.pathname}`,
      request,
      { cause },
    );
  }
  const where = `${route.method} ${url.pathname}`;
  const invalid = (message: string, cause?: unknown) =>
    new ManagementApiError('SHL_INVALID_RESPONSE', message, request, { status: response.status, cause });

  if (!response.ok) {
    const text = await response.text().catch(() => '');
    const error = errorOf(text);
    if (error === undefined) {
      throw invalid(
        `the server answered ${response.status} to ${where} without an error body: ${text.slice(0, MAX_MESSAGE_TEXT)}`,
      );
    }
    const { code, message, field } = error;
    if (!isErrorCode(code) || !isWireErrorCode(code)) {
      // A newer server's code: keep it in the message, but promise callers only codes they can know.
      throw new ManagementApiError(
        'SHL_INVALID_RESPONSE',
        `the server answered ${response.status} ${code}: ${message}`,
        request,
        { status: response.status, field },
      );
    }
    throw new ManagementApiError(code, message, request, { status: response.status, field });
  }

  switch (route.answer) {
    case 'none':
      // Read to the end so that the connection can be reused.
      await response.arrayBuffer();
      return undefined as RouteAnswer<R>;
    case 'bytes':
      return new Uint8Array(await response.arrayBuffer()) as RouteAnswer<R>;
    case 'text':
      return (await response.text()) as RouteAnswer<R>;
    case 'json': {
      const text = await response.text();
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (cause) {
        throw invalid(
          `the server answered ${where} with non-JSON: ${text.slice(0, MAX_MESSAGE_TEXT)}`,
          cause,
        );
      }
      const schema = route.answers[response.status];
      if (connection.checkAnswers && schema !== undefined && !Check(schema, value)) {
        throw invalid(
          `the answer to ${where} is not a ${response.status} answer of the contract: ${firstProblem(schema, value)}`,
        );
      }
      return value as RouteAnswer<R>;
    }
  }
};
