/** What a log line keeps of an error. */
export interface LoggedError {
  type: string;
  message: string;
  code?: string;
  field?: string;
  stack?: string;
  cause?: LoggedError;
}

/** Causes followed at most this deep (a cycle of causes must not hang the logger). */
const MAX_CAUSES = 4;

/**
 * A database error, from `pg` or PGlite: a SQLSTATE `code` of five characters and a `severity`. Both
 * drivers put values into it: PostgreSQL's `detail` ("Failing row contains (...)"), PGlite also the
 * statement's `params` (recipient names, labels, whole encrypted files).
 */
const isDatabaseError = (error: Record<string, unknown>): boolean =>
  typeof error.severity === 'string' && typeof error.code === 'string' && /^[0-9A-Z]{5}$/.test(error.code);

/**
 * A database message without the value it quotes: PostgreSQL puts the offending input after a colon
 * (`invalid input syntax for type integer: "..."`, `invalid byte sequence for encoding "UTF8": 0x00`);
 * the part before names the problem, which is what an operator needs.
 */
const withoutValues = (message: string): string => message.replace(/:\s[\s\S]*$/, ': <redacted>');

/**
 * The error as a log line shows it: its class, message, our `code` and `field` (or a database error's
 * SQLSTATE), the stack, and the same for its cause. Nothing else: every other property an error may carry
 * (a driver's `params`, `detail`, `where`, `query`, a Fastify request) stays out of the logs, because any
 * of them may hold link keys, passcodes, recipient names, labels or ciphertext. A database error's
 * message is cut before the value it quotes.
 */
export const serializeError = (error: unknown, depth = 0): LoggedError => {
  if (typeof error !== 'object' || error === null) return { type: typeof error, message: String(error) };
  const record = error as Record<string, unknown>;
  const type = error instanceof Error ? error.constructor.name || error.name : 'Object';
  const database = isDatabaseError(record);
  const rawMessage = typeof record.message === 'string' ? record.message : '';
  const message = database ? withoutValues(rawMessage) : rawMessage;
  const logged: LoggedError = { type, message };
  if (typeof record.code === 'string') logged.code = record.code;
  if (typeof record.field === 'string') logged.field = record.field;
  if (typeof record.stack === 'string') {
    // The stack starts with the message again: keep only its frames, under the message kept above.
    const frames = record.stack.split('\n').filter((line) => /^\s+at\s/.test(line));
    logged.stack = [`${type}: ${message}`, ...frames].join('\n');
  }
  if (record.cause !== undefined && depth < MAX_CAUSES)
    logged.cause = serializeError(record.cause, depth + 1);
  return logged;
};
