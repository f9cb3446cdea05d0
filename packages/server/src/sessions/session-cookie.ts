import type { FastifyReply, FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'shl_session';

/** The session token of the request's `Cookie` header, if it has one. */
export const readSessionCookie = (request: FastifyRequest): string | undefined => {
  const header = request.headers.cookie;
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) {
      const value = part.slice(eq + 1).trim();
      return value === '' ? undefined : value;
    }
  }
  return undefined;
};

/**
 * Sets (or with `token` null, clears) the session cookie. http-only: scripts never see it; SameSite=Strict:
 * other sites' pages cannot send it; Secure when the server is reached over https. No Max-Age: the
 * database decides when a session ends, and a cookie that outlives it is refused anyway.
 */
export const writeSessionCookie = (reply: FastifyReply, token: string | null, secure: boolean): void => {
  const attributes = ['Path=/', 'HttpOnly', 'SameSite=Strict'];
  if (secure) attributes.push('Secure');
  if (token === null) attributes.push('Max-Age=0');
  void reply.header('set-cookie', [`${SESSION_COOKIE}=${token ?? ''}`, ...attributes].join('; '));
};
