import { ShlError } from '../errors/shl-error.js';
import type { ShlFlag } from './payload.js';

const KNOWN: readonly ShlFlag[] = ['L', 'P', 'U'];

/**
 * Reads a `flag` string leniently: letters this version does not know are ignored, as SHL requires of
 * receivers. Order and duplicates are not judged here (see `checkShlPayload`). Never throws.
 * Spec: SHL STU 1, payload `flag` (docs/shl-protocol.md section 1, "The link").
 *
 * @param flag - the payload's `flag`, e.g. `LP`; undefined means none
 * @returns the known flags it holds (`L`, `P`, `U`)
 */
export const parseFlags = (flag: string | undefined): Set<ShlFlag> => {
  const flags = new Set<ShlFlag>();
  for (const letter of flag ?? '')
    if ((KNOWN as readonly string[]).includes(letter)) flags.add(letter as ShlFlag);
  return flags;
};

/**
 * Writes flags as SHL wants them: single letters in alphabetical order. `U` with `P` is refused because a
 * direct file is fetched by GET and has no way to carry a passcode. Spec: SHL STU 1, payload `flag`
 * (docs/shl-protocol.md section 1, "The link").
 *
 * @param flags - any of `L`, `P`, `U`, in any order, repeats allowed
 * @returns the `flag` string, e.g. `LP` (empty for none)
 * @throws {ShlError} `SHL_FLAG_CONFLICT` (field `flag`) for `U` with `P`
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

/**
 * True when the payload's `flag` holds the letter (read as `parseFlags` does). Never throws.
 * Spec: SHL STU 1, payload `flag` (docs/shl-protocol.md section 1, "The link").
 */
export const hasFlag = (payload: { flag?: string | undefined }, flag: ShlFlag): boolean =>
  parseFlags(payload.flag).has(flag);
