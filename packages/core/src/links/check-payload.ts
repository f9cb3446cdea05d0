import { decodeBase64url, isBase64url } from '../encoding/base64url.js';
import type { ShlErrorCode } from '../errors/shl-error.js';
import { readExpiry } from './expiry.js';
import { KEY_BYTES, KEY_LENGTH, MAX_LABEL_LENGTH, MAX_URL_LENGTH, SUPPORTED_SHL_VERSION } from './payload.js';

/**
 * One thing wrong with a payload. `error` problems make a link unusable or unsafe to fetch, so decoding
 * refuses them; `warning` problems break a sender rule that a lenient receiver can live with, so decoding
 * accepts them and `inspectShlink` reports them.
 */
export interface ShlPayloadProblem {
  code: ShlErrorCode;
  severity: 'error' | 'warning';
  field: string;
  message: string;
  /** The spec rule the problem breaks, in short. */
  rule: string;
}

const problem = (
  severity: ShlPayloadProblem['severity'],
  code: ShlErrorCode,
  field: string,
  message: string,
  rule: string,
): ShlPayloadProblem => ({ code, severity, field, message, rule });

const RULE = {
  url: 'url is required: the manifest URL, or the file URL with flag U; it SHALL NOT exceed 128 characters.',
  key: 'key is required: 32 random bytes, base64url-encoded, exactly 43 characters.',
  exp: 'exp is optional: a number of seconds since the epoch.',
  flag: 'flag is optional: single letters in alphabetical order from L, P, U; U SHALL NOT be combined with P.',
  label: 'label is optional: a string of at most 80 characters.',
  v: 'v is optional: an integer protocol version, 1 when omitted; receivers do not fetch versions they do not support.',
} as const;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Every problem of a decoded payload, in field order. An empty array means the payload follows STU 1.
 * Never throws. Spec: SHL STU 1, the payload fields (docs/shl-protocol.md section 1, "The link").
 *
 * @param value - the decoded payload JSON (anything: a non-object is one `SHL_INVALID_PAYLOAD` problem)
 * @returns the problems; `error` ones (`SHL_INVALID_PAYLOAD`, `SHL_INVALID_URL`, `SHL_INVALID_KEY`,
 *   `SHL_INVALID_EXP`, `SHL_INVALID_FLAG`, `SHL_FLAG_CONFLICT`, `SHL_INVALID_VERSION`) make
 *   `decodeShlink` throw, `warning` ones (`SHL_URL_TOO_LONG`, `SHL_INVALID_EXP`, `SHL_INVALID_FLAG`,
 *   `SHL_INVALID_LABEL`, `SHL_LABEL_TOO_LONG`, `SHL_UNSUPPORTED_VERSION`) only `encodeShlink`
 */
export const checkShlPayload = (value: unknown): ShlPayloadProblem[] => {
  if (!isPlainObject(value)) {
    return [problem('error', 'SHL_INVALID_PAYLOAD', '', 'the payload is not a JSON object', RULE.url)];
  }
  return [
    ...checkUrl(value.url),
    ...checkKey(value.key),
    ...checkExp(value.exp),
    ...checkFlag(value.flag),
    ...checkLabel(value.label),
    ...checkVersion(value.v),
  ];
};

const checkUrl = (url: unknown): ShlPayloadProblem[] => {
  if (typeof url !== 'string' || url === '') {
    return [problem('error', 'SHL_INVALID_URL', 'url', 'url is missing or not a string', RULE.url)];
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [problem('error', 'SHL_INVALID_URL', 'url', `url is not an absolute URL: ${url}`, RULE.url)];
  }
  const problems: ShlPayloadProblem[] = [];
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    problems.push(
      problem('error', 'SHL_INVALID_URL', 'url', `url must be http(s), not ${parsed.protocol}`, RULE.url),
    );
  }
  if (url.length > MAX_URL_LENGTH) {
    problems.push(
      problem(
        'warning',
        'SHL_URL_TOO_LONG',
        'url',
        `url has ${url.length} characters (at most 128)`,
        RULE.url,
      ),
    );
  }
  return problems;
};

const checkKey = (key: unknown): ShlPayloadProblem[] => {
  if (typeof key !== 'string') {
    return [problem('error', 'SHL_INVALID_KEY', 'key', 'key is missing or not a string', RULE.key)];
  }
  if (key.length !== KEY_LENGTH || !isBase64url(key) || decodeBase64url(key).length !== KEY_BYTES) {
    return [
      problem(
        'error',
        'SHL_INVALID_KEY',
        'key',
        `key must be 43 base64url characters (32 bytes); got ${key.length} characters`,
        RULE.key,
      ),
    ];
  }
  return [];
};

const checkExp = (exp: unknown): ShlPayloadProblem[] => {
  const reading = readExpiry(exp);
  if (reading.kind !== 'invalid') return [];
  if (reading.reason === 'not-a-number') {
    return [
      problem(
        'error',
        'SHL_INVALID_EXP',
        'exp',
        `exp must be a number of epoch seconds, not ${JSON.stringify(exp)}`,
        RULE.exp,
      ),
    ];
  }
  // Too large to be seconds: lenient receivers still open the link (the server enforces expiry), but they
  // must not show it as a date.
  const message =
    reading.reason === 'milliseconds'
      ? `exp ${String(exp)} looks like milliseconds, not seconds`
      : `exp ${String(exp)} is not a plausible date in epoch seconds`;
  return [problem('warning', 'SHL_INVALID_EXP', 'exp', message, RULE.exp)];
};

const checkFlag = (flag: unknown): ShlPayloadProblem[] => {
  if (flag === undefined) return [];
  if (typeof flag !== 'string') {
    return [problem('error', 'SHL_INVALID_FLAG', 'flag', 'flag must be a string of letters', RULE.flag)];
  }
  const problems: ShlPayloadProblem[] = [];
  if (flag.includes('U') && flag.includes('P')) {
    problems.push(
      problem(
        'error',
        'SHL_FLAG_CONFLICT',
        'flag',
        'flag combines U (direct file) with P (passcode)',
        RULE.flag,
      ),
    );
  }
  const letters = [...flag];
  const unknown = letters.filter((letter) => !'LPU'.includes(letter));
  if (unknown.length > 0) {
    problems.push(
      problem(
        'warning',
        'SHL_INVALID_FLAG',
        'flag',
        `flag has letters this version ignores: ${unknown.join('')}`,
        RULE.flag,
      ),
    );
  }
  const known = letters.filter((letter) => 'LPU'.includes(letter));
  const canonical = [...new Set(known)].sort().join('');
  if (known.join('') !== canonical) {
    problems.push(
      problem(
        'warning',
        'SHL_INVALID_FLAG',
        'flag',
        `flag letters are repeated or out of order: ${flag}`,
        RULE.flag,
      ),
    );
  }
  return problems;
};

const checkLabel = (label: unknown): ShlPayloadProblem[] => {
  if (label === undefined) return [];
  if (typeof label !== 'string') {
    return [
      problem('warning', 'SHL_INVALID_LABEL', 'label', 'label is not a string; it is ignored', RULE.label),
    ];
  }
  // Counted as receivers count it, in UTF-16 code units (never fewer than the code points).
  const length = label.length;
  return length > MAX_LABEL_LENGTH
    ? [
        problem(
          'warning',
          'SHL_LABEL_TOO_LONG',
          'label',
          `label is ${length} UTF-16 code units long (at most 80)`,
          RULE.label,
        ),
      ]
    : [];
};

const checkVersion = (v: unknown): ShlPayloadProblem[] => {
  if (v === undefined) return [];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    return [
      problem(
        'error',
        'SHL_INVALID_VERSION',
        'v',
        `v must be a positive integer, not ${JSON.stringify(v)}`,
        RULE.v,
      ),
    ];
  }
  return v > SUPPORTED_SHL_VERSION
    ? [
        problem(
          'warning',
          'SHL_UNSUPPORTED_VERSION',
          'v',
          `v ${v} is newer than this software supports (1)`,
          RULE.v,
        ),
      ]
    : [];
};
