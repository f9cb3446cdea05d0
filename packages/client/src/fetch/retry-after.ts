/**
 * Reads `Retry-After` (RFC 9110 §10.2.3): either delay-seconds or an HTTP-date. Returns whole seconds, at
 * least 0, or undefined when the header is absent or unreadable.
 */
export const parseRetryAfter = (value: string | null, now: number = Date.now()): number | undefined => {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
};
