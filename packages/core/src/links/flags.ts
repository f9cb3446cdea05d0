import { ShlError } from '../errors/shl-error.js';
import type { ShlFlag } from './payload.js';

const KNOWN: readonly ShlFlag[] = ['L', 'P', 'U'];

/**
 * Reads a `flag` string leniently: letters this version does not know are ignored, as SHL requires of
 * receivers. Order and duplicates are not judged here (see `checkShlPayload`).
 */
export const parseFlags = (flag: string | undefined): Set<ShlFlag> => {
  const flags = new Set<ShlFlag>();
  for (const letter of flag ?? '')
    if ((KNOWN as readonly string[]).includes(letter)) flags.add(letter as ShlFlag);
  return flags;
};

/**
 * Writes flags as SHL wants them: single letters in alphabetical order. `U` with `P` is refused because a
 * direct file is fetched by GET and has no way to carry a passcode.
 */
export const formatFlags = (flags: Iterable<ShlFlag>): string => {
  const set = new Set(flags);
  if (set.has('U') && set.has('P')) {
    throw new ShlError('SHL_FLAG_CONFLICT', 'flag U (direct file) cannot be combined with P (passcode)', {
      field: 'flag',
    });
  }
  return KNOWN.filter((letter) => set.has(letter)).join('');
};

export const hasFlag = (payload: { flag?: string | undefined }, flag: ShlFlag): boolean =>
  parseFlags(payload.flag).has(flag);
