/**
 * SHL `exp` is epoch seconds. Ten digits reach the year 2286; from 1e11 (the year 5138) on a value is not a
 * plausible expiry in seconds, and with 12 or 13 digits it is almost surely milliseconds.
 */
export const MAX_PLAUSIBLE_EXP = 1e11;

/** The largest time a JavaScript `Date` holds (ECMAScript "Time Values and Time Range"), in ms. */
const MAX_DATE_MS = 8.64e15;

/**
 * A payload's `exp` as something to show: a date, nothing, or the reason it is not a date. Receivers show
 * `date` and warn about `invalid` (never a date from it: "11/21/58903" or "Invalid Date" helps no one);
 * the server decides when the link stops working either way.
 */
export type ExpiryReading =
  | { kind: 'none' }
  | { kind: 'date'; epochSeconds: number; date: Date }
  | { kind: 'invalid'; exp: unknown; reason: 'not-a-number' | 'milliseconds' | 'out-of-range' };

/**
 * Reads a payload's `exp` for display (see `ExpiryReading`). Never throws.
 * Spec: SHL STU 1, payload `exp`, epoch seconds (docs/shl-protocol.md section 1, "The link").
 *
 * @param exp - the payload's `exp` as sent: anything
 * @returns `none` when absent; `date` with the epoch seconds and a `Date` for a plausible number of
 *   seconds; `invalid` with the reason (`not-a-number`, `milliseconds` from `MAX_PLAUSIBLE_EXP` on,
 *   `out-of-range`) otherwise
 */
export const readExpiry = (exp: unknown): ExpiryReading => {
  if (exp === undefined) return { kind: 'none' };
  if (typeof exp !== 'number' || !Number.isFinite(exp) || exp < 0) {
    return { kind: 'invalid', exp, reason: 'not-a-number' };
  }
  if (exp >= MAX_PLAUSIBLE_EXP) {
    return { kind: 'invalid', exp, reason: exp <= MAX_DATE_MS ? 'milliseconds' : 'out-of-range' };
  }
  return { kind: 'date', epochSeconds: exp, date: new Date(exp * 1000) };
};
