/** An age as a clinician states it: years from 2 on, months under 2 years, days under a month. */
export type Age =
  | { unit: 'years'; value: number; max?: number }
  | { unit: 'months'; value: number }
  | { unit: 'days'; value: number };

const DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/;

const wholeMonths = (from: [number, number, number], to: [number, number, number]): number => {
  const months = (to[0] - from[0]) * 12 + (to[1] - from[1]);
  return to[2] < from[2] ? months - 1 : months;
};

/**
 * The age on `today` of someone born on `birthDate` (a FHIR date, at whatever precision it was given).
 * A birth year alone gives two possible ages (`max`); a year and month is counted from the month's first
 * day. Today is passed in, so the age is always the reader's "now", never the document's or the link's.
 * Undefined for a malformed or future date.
 */
export const ageOn = (birthDate: unknown, today: Date): Age | undefined => {
  const match = typeof birthDate === 'string' ? DATE.exec(birthDate) : null;
  if (!match || Number.isNaN(today.getTime())) return undefined;
  const year = Number(match[1]);
  const month = match[2] ? Number(match[2]) : undefined;
  const day = match[3] ? Number(match[3]) : undefined;
  const now: [number, number, number] = [today.getFullYear(), today.getMonth() + 1, today.getDate()];
  if (month === undefined) {
    const most = now[0] - year;
    if (most < 0) return undefined;
    return most === 0 ? { unit: 'years', value: 0 } : { unit: 'years', value: most - 1, max: most };
  }
  const born: [number, number, number] = [year, month, day ?? 1];
  const months = wholeMonths(born, now);
  if (months < 0) return undefined;
  if (months >= 24) return { unit: 'years', value: Math.floor(months / 12) };
  if (months >= 1 || day === undefined) return { unit: 'months', value: months };
  const days = Math.round(
    (Date.UTC(now[0], now[1] - 1, now[2]) - Date.UTC(born[0], born[1] - 1, born[2])) / 86_400_000,
  );
  return days < 0 ? undefined : { unit: 'days', value: days };
};
