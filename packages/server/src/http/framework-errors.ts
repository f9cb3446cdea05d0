import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { WireErrorCode } from '@shlkit/core';
import type { FastifyInstance } from 'fastify';
import { errorAnswer, type ServerErrorCode } from '../errors.js';
import { BASE_SECURITY_HEADERS } from './security-headers.js';

/** A server code that may go on the wire. */
type WireServerCode = Extract<ServerErrorCode, WireErrorCode>;

/**
 * Fastify's own request errors, by their `FST_*` code, as codes of ours. Only these reach a request (the
 * other `FST_*` codes are start-up and programming errors, which stay 500 `SHL_INTERNAL`). No answer ever
 * carries an `FST_*` code: an unknown 4xx one is `SHL_BAD_REQUEST`.
 */
export const FASTIFY_ERROR_CODES: Readonly<Record<string, WireServerCode>> = Object.freeze({
  FST_ERR_BAD_URL: 'SHL_INVALID_REQUEST_URL',
  FST_ERR_MAX_PARAM_LENGTH: 'SHL_URI_TOO_LONG',
  FST_ERR_CTP_BODY_TOO_LARGE: 'SHL_BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'SHL_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'SHL_INVALID_CONTENT_LENGTH',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'SHL_INVALID_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'SHL_INVALID_JSON',
  FST_ERR_VALIDATION: 'SHL_VALIDATION_FAILED',
  FST_ERR_NOT_FOUND: 'SHL_NOT_FOUND',
});

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (its `clientError` event), by Node's error
 * code. Every other parser error (bad request line, bad header, unknown method) is `SHL_BAD_REQUEST`.
 */
const CLIENT_ERROR_CODES: Readonly<Record<string, { code: WireServerCode; message: string }>> = Object.freeze(
  {
    ERR_HTTP_REQUEST_TIMEOUT: {
      code: 'SHL_REQUEST_TIMEOUT',
      message: 'the request did not arrive in time',
    },
    HPE_HEADER_OVERFLOW: {
      code: 'SHL_HEADERS_TOO_LARGE',
      message: 'the request line and headers are larger than this server accepts',
    },
    HPE_INVALID_CONTENT_LENGTH: {
      code: 'SHL_INVALID_CONTENT_LENGTH',
      message: 'the Content-Length header is not a length',
    },
    HPE_UNEXPECTED_CONTENT_LENGTH: {
      code: 'SHL_INVALID_CONTENT_LENGTH',
      message: 'the request has more than one Content-Length header',
    },
    HPE_INVALID_TRANSFER_ENCODING: {
      code: 'SHL_INVALID_CONTENT_LENGTH',
      message: 'a request may not have both Content-Length and Transfer-Encoding, nor any but chunked',
    },
  },
);

/** The security headers as header lines, for answers written to the socket by hand. */
const RAW_SECURITY_HEADERS = Object.entries({ ...BASE_SECURITY_HEADERS, 'cache-control': 'no-store' })
  .map(([name, value]) => `${name}: ${value}\r\n`)
  .join('');

const NOT_HTTP = { code: 'SHL_BAD_REQUEST', message: 'the request is not valid HTTP/1.1' } as const;

/**
 * Our answer to a request Node's parser refused (Fastify's `clientErrorHandler`). The socket never reached
 * Fastify, so the answer is written by hand, then the connection closed: after a parse error nothing else
 * on it can be trusted. Replaces Fastify's default, which answers in Fastify's own shape.
 */
export function answerClientError(this: FastifyInstance, error: NodeJS.ErrnoException, socket: Socket): void {
  // The peer is gone: there is nobody to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const known = (error.code === undefined ? undefined : CLIENT_ERROR_CODES[error.code]) ?? NOT_HTTP;
  const { status, body } = errorAnswer(known.code, known.message);
  const json = JSON.stringify(body);
  this.log.debug({ err: error }, `refused before routing: ${known.code}`);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(json)}\r\n` +
        RAW_SECURITY_HEADERS +
        `Connection: close\r\n\r\n${json}`,
    );
  }
  socket.destroy(error);
}
