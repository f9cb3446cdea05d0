/**
 * A card's `nbf` (epoch seconds) as an ISO time, or undefined when it is missing or beyond what a Date
 * holds: a card is untrusted input, and `toISOString` throws on an out-of-range date.
 */
export const issuedAt = (nbf: unknown): string | undefined => {
  if (typeof nbf !== 'number') return undefined;
  const date = new Date(nbf * 1000);
  return Number.isFinite(date.getTime()) ? date.toISOString() : undefined;
};
