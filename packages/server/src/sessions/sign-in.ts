import { replaceControlCharacters } from '@shlkit/core';
import type { Session, SignInBody } from '@shlkit/api';
import { recordAudit } from '../audit/record-audit.js';
import { checkCredentials } from '../auth/admin-users.js';
import type { Clock } from '../clock.js';
import type { Database } from '../db/schema.js';
import { ServerError } from '../errors.js';
import type { Random } from '../random.js';
import type { RateLimiter } from '../rate-limits/rate-limiter.js';
import { createSession, dropEndedSessions, type SessionPolicy } from './session-store.js';

export interface SignInDeps {
  db: Database;
  clock: Clock;
  random: Random;
  sessions: SessionPolicy;
  rateLimiter: RateLimiter;
}

/** One budget per account however its name is typed, so `Admin` and `admin ` share it. */
const accountKey = (username: string): string => username.normalize('NFKC').trim().toLowerCase();

/**
 * Checks a name and password (one scrypt, whoever asks) and starts a session. Every refusal, unknown name,
 * wrong password or disabled account, is the same 401 `SHL_BAD_CREDENTIALS` after the same work (the
 * failure is audited in all three cases), so that neither answer nor timing tells which it was.
 *
 * Every attempt, right or wrong, is counted against the client address's and the username's sign-in
 * budgets BEFORE the password is hashed: anonymous requests can never make the server run scrypt more than
 * the budgets allow, and guessing one account's password from many addresses is bounded too.
 *
 * @throws ServerError `SHL_RATE_LIMITED` (429, with `retryAfterSeconds`) over either budget;
 *   `SHL_BAD_CREDENTIALS` (401) for any refusal.
 */
export const signIn = async (
  deps: SignInDeps,
  body: SignInBody,
  clientAddress: string,
): Promise<{ session: Session; token: string }> => {
  await deps.rateLimiter.hit(
    { budget: 'signIn', client: clientAddress },
    { budget: 'signInAccount', client: accountKey(body.username) },
  );
  const account = await checkCredentials(deps.db, body.username, body.password);
  const now = new Date(deps.clock.now());
  if (account === undefined) {
    // The name as typed, which may hold what no account can (a NUL would fail in PostgreSQL): shown as U+FFFD.
    const typed = replaceControlCharacters(body.username);
    await recordAudit(deps.db, { at: now, actor: typed, action: 'session.sign-in-failed' });
    throw new ServerError('SHL_BAD_CREDENTIALS', 'unknown user or wrong password');
  }
  const { token, csrfToken } = await deps.db.transaction().execute(async (trx) => {
    await dropEndedSessions(trx, now, deps.sessions);
    const created = await createSession(trx, account.id, now, deps.random);
    await recordAudit(trx, { at: now, actor: account.username, action: 'session.signed-in' });
    return created;
  });
  return { session: { user: { username: account.username, role: account.role }, csrfToken }, token };
};
