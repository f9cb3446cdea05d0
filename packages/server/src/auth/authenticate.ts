import type { FastifyRequest } from 'fastify';
import type { Clock } from '../clock.js';
import type { Database } from '../db/schema.js';
import { ServerError } from '../errors.js';
import { verifyAdminUser } from './admin-users.js';
import { findApiKeyByToken, matchesConfiguredKey } from './api-keys.js';

export interface AuthDeps {
  db: Database;
  clock: Clock;
  configuredApiKey: string | undefined;
}

const unauthorized = () =>
  new ServerError('SHL_UNAUTHORIZED', 'send Authorization: Bearer <API key> (or Basic for an admin user)');

/**
 * The management API's one gate: `Authorization: Bearer <token>` with SHL_API_KEY or a live API key, or
 * `Basic` with an admin user's name and password. Every authenticated caller has full rights.
 */
export const createAuthenticate =
  (deps: AuthDeps) =>
  async (request: FastifyRequest): Promise<void> => {
    const header = request.headers.authorization ?? '';
    const [scheme, value] = header.split(' ', 2);
    if (value === undefined || value === '') throw unauthorized();
    if (scheme?.toLowerCase() === 'bearer') {
      if (matchesConfiguredKey(value, deps.configuredApiKey)) return;
      if ((await findApiKeyByToken(deps.db, value, new Date(deps.clock.now()))) !== undefined) return;
      throw unauthorized();
    }
    if (scheme?.toLowerCase() === 'basic') {
      const decoded = Buffer.from(value, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0 && (await verifyAdminUser(deps.db, decoded.slice(0, colon), decoded.slice(colon + 1))))
        return;
    }
    throw unauthorized();
  };
