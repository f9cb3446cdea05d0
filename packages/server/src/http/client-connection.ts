import type { FastifyRequest } from 'fastify';

/**
 * The client's connection, as the public serving path asks about it: whether it has gone, so that work
 * whose answer would reach nobody is not done (group-commit/batcher.ts), and a signal for waits that
 * should end when it goes (a passcode guess waiting for a free attempt, passcodes/hold-attempt.ts).
 */
export interface ClientConnection {
  /** Aborts when the connection closes before the answer; only requests that may wait carry one. */
  signal?: AbortSignal | undefined;
  /** True once the client has closed its connection (or half-closed it: Node then ends it too). */
  gone?: (() => boolean) | undefined;
}

/**
 * Whether the client of `request` has gone. It reads the socket, not the request: a request whose body
 * has been read counts as destroyed at once, whether or not its client is still there. Requests made
 * with `app.inject` have no real socket and never count as gone.
 */
export const clientGoneOf =
  (request: FastifyRequest): (() => boolean) =>
  () =>
    request.raw.socket?.destroyed === true;
