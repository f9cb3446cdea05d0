import type { FastifyInstance } from 'fastify';
import { ServerError } from '../errors.js';

/** The parameter a `name=value` pair sets, for the error's `field`; `query` when the name is the problem. */
const parameterName = (pair: string): string => {
  const name = pair.split('=')[0] ?? '';
  if (/%00/i.test(name)) return 'query';
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return 'query';
  }
};

/**
 * Refuses a query string that holds U+0000 (`%00`), on every route, before any handler runs: no query
 * parameter of ours may hold it (ids, cursors, filters, search text, recipients), and PostgreSQL text
 * cannot, so a filter or search reaching SQL with it failed there (500) instead of being refused (400).
 * Recipients get their own, finer check (core's `recipientProblem`) after this one.
 *
 * @throws ServerError `SHL_VALIDATION_FAILED` (field: the parameter, or `query`), answered 400.
 */
export const refuseNulInQuery = (app: FastifyInstance): void => {
  app.addHook('onRequest', async (request) => {
    const start = request.url.indexOf('?');
    if (start < 0) return;
    const pair = request.url
      .slice(start + 1)
      .split('&')
      .find((candidate) => /%00/i.test(candidate));
    if (pair === undefined) return;
    throw new ServerError('SHL_VALIDATION_FAILED', 'the query string must not contain U+0000 (%00)', {
      field: parameterName(pair),
    });
  });
};
