/** UCUM time units that FHIR allows in `Timing.repeat.periodUnit` and `durationUnit`. */
export type TimeUnit = 's' | 'min' | 'h' | 'd' | 'wk' | 'mo' | 'a';

export const TIME_UNITS: readonly TimeUnit[] = ['s', 'min', 'h', 'd', 'wk', 'mo', 'a'];

/** How often: `frequency` (to `frequencyMax`) times every `period` (to `periodMax`) `unit`. */
export interface Frequency {
  frequency: number;
  frequencyMax?: number | undefined;
  period: number;
  periodMax?: number | undefined;
  unit: TimeUnit;
}

/**
 * The words a dosage is said with, as a clinician reads it ("twice daily", "every 8 hours", "as needed for
 * pain"). Each language builds whole phrases: word order and agreement differ too much to glue fragments.
 */
export interface DosagePhrases {
  /** `twice daily`, `every 8 hours`, `1–2 times every 2 days`. */
  frequency(f: Frequency): string;
  /** A count of times with no period: `3 times`. */
  times(frequency: number, frequencyMax?: number): string;
  /** `7 days`, `5–7 days`, `30 minutes`. */
  duration(value: number, max: number | undefined, unit: TimeUnit): string;
  /** How long the course lasts (`Timing.repeat.bounds[x]`): `for 7 days`. */
  forDuration(duration: string): string;
  /** How long one administration lasts (`Timing.repeat.duration`): `over 30 minutes`. */
  over(duration: string): string;
  /** `Timing.repeat.count`: `for 10 doses`. */
  count(count: number, max?: number): string;
  /** A bounds period: `from 2024-01-01 to 2024-02-01`, `from 2024-01-01`, `until 2024-02-01`. */
  between(start: string, end: string): string;
  /** HL7 EventTiming codes (`when`): `MORN` -> `in the morning`, `ACM` -> `before breakfast`. */
  when: Record<string, string>;
  /** An offset before or after a meal event: `30 minutes before breakfast`. */
  offset(minutes: string, event: string): string;
  /** `at 08:00 and 20:00`. */
  atTimes(times: string): string;
  /** `on Monday and Thursday`. */
  onDays(days: string): string;
  /** Day codes of `dayOfWeek`. */
  days: Record<'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun', string>;
  asNeeded: string;
  asNeededFor(reason: string): string;
  /** The route, labelled: `route: oral`. */
  route(route: string): string;
  /** `at 5 mL/h`. */
  rate(rate: string): string;
  /** `no more than 4 tablet per 1 d`. */
  maxPerPeriod(ratio: string): string;
  /** Items joined as a reader says them: `Monday, Wednesday and Friday`. */
  list(items: readonly string[]): string;
}
