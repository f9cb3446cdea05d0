import { decodeBase64url, fromUtf8, isBase64url } from '../encoding/base64url.js';
import { ShlError } from '../errors/shl-error.js';
import { checkShlPayload, type ShlPayloadProblem } from './check-payload.js';
import { type FoundShlink, locateShlink } from './find-shlink.js';
import { SHLINK_PREFIX, type ShlPayload } from './payload.js';

export interface ShlinkInspection {
  /** The link as found in the text (`findShlink`): `shlink:/...` without what surrounded it. */
  shlink: string | undefined;
  /** The decoded JSON, when the text held any. It may still have problems. */
  payload: ShlPayload | undefined;
  /** The viewer URL in front of the link (without `#`), if any. */
  viewerUrl: string | undefined;
  problems: ShlPayloadProblem[];
}

/**
 * Decodes and judges a link without throwing: for tools that explain every problem (`shlkit inspect`).
 * Finds the link in the text first, as `findShlink` does: a bare `shlink:/...`, a viewer URL with
 * `#shlink:/...`, or a link inside pasted text. Spec: SHL STU 1 (docs/shl-protocol.md section 1, "The
 * link").
 *
 * @param text - the link, or text that holds one
 * @returns the link found, its payload when it decodes to a JSON object, the viewer URL in front, and every
 *   problem (each with the code `decodeShlink` or `encodeShlink` would throw, and its severity); never
 *   throws: a text without a link is one `SHL_INVALID_LINK` problem
 */
export const inspectShlink = (text: string): ShlinkInspection => {
  const found = locateShlink(text);
  if (found === undefined) {
    return fail(undefined, 'SHL_INVALID_LINK', 'the text holds no "shlink:/"');
  }
  const { shlink, viewerUrl } = found;
  const encoded = shlink.slice(SHLINK_PREFIX.length);
  if (encoded === '' || !isBase64url(encoded.replace(/=+$/, ''))) {
    return fail(found, 'SHL_INVALID_LINK', 'what follows "shlink:/" is not base64url');
  }
  let json: unknown;
  try {
    json = JSON.parse(fromUtf8(decodeBase64url(encoded)));
  } catch (cause) {
    return fail(found, 'SHL_INVALID_LINK', `the payload is not UTF-8 JSON (${(cause as Error).message})`);
  }
  const problems = checkShlPayload(json);
  const isObject = typeof json === 'object' && json !== null && !Array.isArray(json);
  return { shlink, payload: isObject ? (json as ShlPayload) : undefined, viewerUrl, problems };
};

/**
 * Decodes a link as a receiver: lenient where SHL says to ignore (unknown fields and flags, a long label),
 * strict where fetching would be unsafe or ambiguous (key, url, exp, U with P, v). The link is found in the
 * text first (`findShlink`), so pasted and wrapped links decode. Spec: SHL STU 1 (docs/shl-protocol.md
 * section 1, "The link"; section 6, "Receiver duties"). A newer `v` decodes: check it with
 * `assertSupportedVersion` before fetching.
 *
 * @param text - a `shlink:/...`, a viewer URL with `#shlink:/...`, or text that holds one
 * @returns the payload as sent, unknown fields included
 * @throws {ShlError} the first error-level problem, with `field` naming the payload field:
 *   `SHL_INVALID_LINK` when the text holds no link or its payload is not base64url UTF-8 JSON, else
 *   `SHL_INVALID_PAYLOAD`, `SHL_INVALID_URL`, `SHL_INVALID_KEY`, `SHL_INVALID_EXP`, `SHL_INVALID_FLAG`,
 *   `SHL_FLAG_CONFLICT` or `SHL_INVALID_VERSION`
 */
export const decodeShlink = (text: string): ShlPayload => {
  const { payload, problems } = inspectShlink(text);
  const error = problems.find((p) => p.severity === 'error');
  if (error) throw new ShlError(error.code, error.message, { field: error.field });
  if (!payload) throw new ShlError('SHL_INVALID_PAYLOAD', 'the link holds no payload');
  return payload;
};

const fail = (
  found: FoundShlink | undefined,
  code: ShlPayloadProblem['code'],
  message: string,
): ShlinkInspection => ({
  shlink: found?.shlink,
  payload: undefined,
  viewerUrl: found?.viewerUrl,
  problems: [
    {
      code,
      severity: 'error',
      field: '',
      message,
      rule: 'A link is "shlink:/" followed by the base64url-encoded JSON payload.',
    },
  ],
});
