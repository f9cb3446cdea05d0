import { ShlError } from '../errors/shl-error.js';
import type { ManifestRequest } from './manifest.js';
import { hasControlCharacters } from '../text/control-characters.js';

const invalid = (message: string, field: string) =>
  new ShlError('SHL_INVALID_MANIFEST_REQUEST', message, { field });

/**
 * Our limits; SHL sets none. Room for any name or passcode, small enough that an access-log row or a
 * scrypt input stays small.
 */
export const MANIFEST_REQUEST_LIMITS = Object.freeze({ recipientMaxLength: 1000, passcodeMaxLength: 1000 });

/**
 * Characters a recipient may not contain. A recipient is text shown to the sharer in the access log.
 * - Control characters (C0, DEL, C1; `\p{Cc}`): cannot be shown, can forge line breaks in logs, and
 *   U+0000 cannot even be stored in a PostgreSQL text column.
 * - Lone UTF-16 surrogates (`\p{Cs}`): not text at all.
 * - Format characters (`\p{Cf}`): invisible (U+200B zero width space, U+FEFF) or reorder what is shown
 *   (U+202E right-to-left override and the other bidi controls), so a name can look like another.
 *   Except U+200C and U+200D (zero width non-joiner and joiner): Persian and Indic names and emoji
 *   sequences need them, and they only join or part neighbouring letters.
 * - Line and paragraph separators (`\p{Zl}`, `\p{Zp}`: U+2028, U+2029): line breaks in disguise.
 */
const UNSHOWABLE = /[\p{Cc}\p{Cs}\p{Zl}\p{Zp}]|(?![\u200c\u200d])\p{Cf}/u;

/** A name names somebody only if it has at least one letter or digit, in any script. */
const NAMES_SOMETHING = /[\p{L}\p{N}]/u;

/**
 * Why a recipient is refused, or undefined when it is fine. SHL requires `recipient`, the name of who is
 * asking, shown to the sharer; one made only of spaces, punctuation or invisible characters names nobody.
 * Servers use this for the direct-file `?recipient=` too, so every path accepts the same names. Never
 * throws.
 * Spec: SHL STU 1, `recipient` (docs/shl-protocol.md section 2, "Manifest request"; section 3, "Direct
 * file").
 *
 * @param recipient - the value as received: anything
 * @returns a sentence for people, or undefined for a string of at most
 *   `MANIFEST_REQUEST_LIMITS.recipientMaxLength` UTF-16 code units with at least one letter or digit and
 *   no control, format (but U+200C, U+200D) or line/paragraph separator characters nor lone surrogates
 */
export const recipientProblem = (recipient: unknown): string | undefined => {
  if (typeof recipient !== 'string' || recipient.trim() === '') {
    return 'recipient is required: a non-empty string naming who is asking';
  }
  if (recipient.length > MANIFEST_REQUEST_LIMITS.recipientMaxLength) {
    return `recipient is longer than ${MANIFEST_REQUEST_LIMITS.recipientMaxLength} characters`;
  }
  if (UNSHOWABLE.test(recipient)) {
    return 'recipient must not contain control, invisible formatting or line separator characters';
  }
  if (!NAMES_SOMETHING.test(recipient)) return 'recipient must contain at least one letter or digit';
  return undefined;
};

/**
 * Why a passcode's characters are refused, or undefined when they are fine: no control characters and
 * no lone UTF-16 surrogates. Servers use it where a passcode is set and where one is guessed, so that
 * every passcode that can be set can be guessed and no two different strings compare equal. It checks
 * characters only, not length or emptiness. Never throws.
 *
 * @param passcode - a string as received
 * @returns a sentence for people, or undefined
 */
export const passcodeProblem = (passcode: string): string | undefined =>
  // scrypt turns a lone surrogate into U+FFFD: "\ud800" and "\udfff" would hash the same, and one would
  // open a link set with the other. Control characters cannot be typed from a printed passcode.
  hasControlCharacters(passcode)
    ? 'passcode must not contain control characters or lone UTF-16 surrogates'
    : undefined;

/**
 * Checks a manifest request body as a server receives it: the one parser of it, so that our server and
 * every receiver built on core agree on what a valid request is. SHL requires `recipient`; `passcode` and
 * `embeddedLengthMax` are optional. Unknown fields are ignored. Spec: SHL STU 1, the manifest request
 * body (docs/shl-protocol.md section 2, "Manifest request").
 *
 * @param body - the parsed JSON body
 * @returns `recipient`, and `passcode` and `embeddedLengthMax` (the longest `embedded` JWE the client
 *   takes, in characters) when given; nothing else
 * @throws {ShlError} `SHL_INVALID_MANIFEST_REQUEST` with `field` (`recipient`, `passcode`,
 *   `embeddedLengthMax`, or empty for a body that is not an object)
 */
export const parseManifestRequest = (body: unknown): ManifestRequest => {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid('the request body must be a JSON object', '');
  }
  const record = body as Record<string, unknown>;
  const problem = recipientProblem(record.recipient);
  if (problem !== undefined) throw invalid(problem, 'recipient');
  const request: ManifestRequest = { recipient: record.recipient as string };
  if (record.passcode !== undefined) {
    if (typeof record.passcode !== 'string') throw invalid('passcode must be a string', 'passcode');
    if (record.passcode.length > MANIFEST_REQUEST_LIMITS.passcodeMaxLength) {
      throw invalid(
        `passcode is longer than ${MANIFEST_REQUEST_LIMITS.passcodeMaxLength} characters`,
        'passcode',
      );
    }
    const badCharacters = passcodeProblem(record.passcode);
    if (badCharacters !== undefined) throw invalid(badCharacters, 'passcode');
    request.passcode = record.passcode;
  }
  if (record.embeddedLengthMax !== undefined) {
    const max = record.embeddedLengthMax;
    if (typeof max !== 'number' || !Number.isInteger(max) || max < 0) {
      throw invalid('embeddedLengthMax must be a non-negative integer', 'embeddedLengthMax');
    }
    // Any larger limit means "embed everything": kept as the largest safe integer, so that arithmetic on
    // it stays exact.
    request.embeddedLengthMax = Math.min(max, Number.MAX_SAFE_INTEGER);
  }
  return request;
};
