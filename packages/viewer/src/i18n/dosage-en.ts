import type { DosagePhrases, TimeUnit } from './dosage-phrases.js';

const UNITS: Record<TimeUnit, [string, string]> = {
  s: ['second', 'seconds'],
  min: ['minute', 'minutes'],
  h: ['hour', 'hours'],
  d: ['day', 'days'],
  wk: ['week', 'weeks'],
  mo: ['month', 'months'],
  a: ['year', 'years'],
};

// "once daily", "twice weekly": the adverb for one period of a unit.
const PER_ONE: Record<TimeUnit, string> = {
  s: 'per second',
  min: 'per minute',
  h: 'per hour',
  d: 'daily',
  wk: 'weekly',
  mo: 'monthly',
  a: 'yearly',
};

const TIMES = ['', 'once', 'twice', 'three times', 'four times'];

const times = (n: number, max?: number): string =>
  max !== undefined && max !== n ? `${n}–${max} times` : (TIMES[n] ?? `${n} times`);

const span = (n: number, max: number | undefined): string =>
  max !== undefined && max !== n ? `${n}–${max}` : String(n);

const unitName = (unit: TimeUnit, n: number, max: number | undefined): string =>
  UNITS[unit][n === 1 && (max === undefined || max === 1) ? 0 : 1];

const conjunction = new Intl.ListFormat('en', { type: 'conjunction' });

export const dosageEn: DosagePhrases = {
  frequency: ({ frequency, frequencyMax, period, periodMax, unit }) => {
    const onePeriod = period === 1 && (periodMax === undefined || periodMax === 1);
    const once = frequency === 1 && (frequencyMax === undefined || frequencyMax === 1);
    if (onePeriod) {
      if (once && (unit === 'h' || unit === 'min' || unit === 's')) return `every ${UNITS[unit][0]}`;
      return `${times(frequency, frequencyMax)} ${PER_ONE[unit]}`;
    }
    const every = `every ${span(period, periodMax)} ${unitName(unit, period, periodMax)}`;
    return once ? every : `${times(frequency, frequencyMax)} ${every}`;
  },
  times: (n, max) => (n === 1 && (max === undefined || max === 1) ? 'once' : times(n, max)),
  duration: (value, max, unit) => `${span(value, max)} ${unitName(unit, value, max)}`,
  forDuration: (duration) => `for ${duration}`,
  over: (duration) => `over ${duration}`,
  count: (count, max) =>
    count === 1 && (max === undefined || max === 1) ? 'for 1 dose' : `for ${span(count, max)} doses`,
  between: (start, end) =>
    start && end ? `from ${start} to ${end}` : start ? `from ${start}` : end ? `until ${end}` : '',
  when: {
    MORN: 'in the morning',
    'MORN.early': 'early in the morning',
    'MORN.late': 'late in the morning',
    NOON: 'at noon',
    AFT: 'in the afternoon',
    'AFT.early': 'early in the afternoon',
    'AFT.late': 'late in the afternoon',
    EVE: 'in the evening',
    'EVE.early': 'early in the evening',
    'EVE.late': 'late in the evening',
    NIGHT: 'at night',
    PHS: 'after sleep',
    HS: 'at bedtime',
    WAKE: 'on waking',
    C: 'with meals',
    CM: 'with breakfast',
    CD: 'with lunch',
    CV: 'with dinner',
    AC: 'before meals',
    ACM: 'before breakfast',
    ACD: 'before lunch',
    ACV: 'before dinner',
    PC: 'after meals',
    PCM: 'after breakfast',
    PCD: 'after lunch',
    PCV: 'after dinner',
  },
  offset: (minutes, event) => `${minutes} ${event}`,
  atTimes: (list) => `at ${list}`,
  onDays: (list) => `on ${list}`,
  days: {
    mon: 'Monday',
    tue: 'Tuesday',
    wed: 'Wednesday',
    thu: 'Thursday',
    fri: 'Friday',
    sat: 'Saturday',
    sun: 'Sunday',
  },
  asNeeded: 'as needed',
  asNeededFor: (reason) => `as needed for ${reason}`,
  route: (route) => `route: ${route}`,
  rate: (rate) => `at ${rate}`,
  maxPerPeriod: (ratio) => `no more than ${ratio}`,
  list: (items) => conjunction.format(items),
};
