import { readExpiry } from '@shlkit/core';
import { usageError } from '../errors.js';

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/**
 * `--expires` -> epoch seconds. Accepts a duration from now (`30m`, `12h`, `7d`, `2w`) or an ISO 8601
 * date/time (`2026-12-31`, `2026-12-31T18:00:00Z`). SHL `exp` is in seconds, not milliseconds.
 */
export const parseExpiry = (value: string, nowMs: number): number => {
  const duration = /^(\d+)\s*([smhdw])$/.exec(value.trim());
  if (duration) {
    const seconds = Number(duration[1]) * (UNIT_SECONDS[duration[2] ?? 's'] ?? 1);
    if (seconds <= 0) throw usageError('--expires must be in the future', EXPIRES_HINT);
    return Math.floor(nowMs / 1000) + seconds;
  }
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
    const ms = Date.parse(value);
    if (Number.isNaN(ms)) throw usageError(`--expires "${value}" is not a valid date`, EXPIRES_HINT);
    if (ms <= nowMs) throw usageError(`--expires ${value} is in the past`, EXPIRES_HINT);
    return Math.floor(ms / 1000);
  }
  throw usageError(`--expires "${value}" is neither a duration nor an ISO date`, EXPIRES_HINT);
};

const EXPIRES_HINT = 'Use a duration like 30m, 12h, 7d, 2w, or an ISO date like 2026-12-31T18:00:00Z.';

/**
 * Epoch seconds -> "2026-11-29 20:00:00 UTC (in 6 days)" for people. An `exp` that is no date in seconds
 * (milliseconds, absurdly far, not a number) is said to be so, never shown as the year 58903.
 */
export const describeEpochSeconds = (exp: number, nowMs: number): string => {
  const reading = readExpiry(exp);
  if (reading.kind !== 'date') {
    const why =
      reading.kind === 'invalid' && reading.reason === 'milliseconds'
        ? 'it looks like milliseconds, not seconds'
        : 'it is not a plausible number of epoch seconds';
    return `${String(exp)} (not a date: ${why})`;
  }
  const iso = reading.date
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
  return `${iso} (${relative(exp * 1000 - nowMs)})`;
};

const relative = (deltaMs: number): string => {
  const past = deltaMs < 0;
  const seconds = Math.abs(deltaMs) / 1000;
  const units: [number, string][] = [
    [365 * 86_400, 'year'],
    [86_400, 'day'],
    [3600, 'hour'],
    [60, 'minute'],
    [1, 'second'],
  ];
  const [size, name] = units.find(([unitSeconds]) => seconds >= unitSeconds) ?? [1, 'second'];
  const count = Math.floor(seconds / size);
  const text = `${count} ${name}${count === 1 ? '' : 's'}`;
  return past ? `expired ${text} ago` : `in ${text}`;
};
