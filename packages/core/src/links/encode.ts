import { encodeBase64url, utf8 } from '../encoding/base64url.js';
import { ShlError } from '../errors/shl-error.js';
import { checkShlPayload } from './check-payload.js';
import { SHLINK_PREFIX, type ShlPayload } from './payload.js';

export interface EncodeShlinkOptions {
  /**
   * A viewer page to put in front, so that a phone camera opens it: `https://host/view` gives
   * `https://host/view#shlink:/...`. The part after `#` never reaches a server.
   */
  viewerUrl?: string;
}

/**
 * Payload -> `shlink:/...` (or `<viewer>#shlink:/...`): minified JSON, base64url without padding.
 * Senders are held to every rule, warnings included: a link we write must be one every receiver accepts.
 * Spec: SHL STU 1, the SHL payload and its encoding (docs/shl-protocol.md section 1, "The link").
 *
 * @param payload - `url` (at most 128 characters), `key` (32 bytes as 43 base64url characters), `exp`
 *   (epoch seconds), `flag` (letters in alphabetical order), `label` (at most 80 characters), `v`
 * @param options - `viewerUrl`: a viewer page to put in front (`https://host/view` gives
 *   `https://host/view#shlink:/...`)
 * @returns the link text
 * @throws {ShlError} the payload's first problem, warnings included (see `checkShlPayload`), with `field`
 *   naming the payload field: `SHL_INVALID_PAYLOAD`, `SHL_INVALID_URL`, `SHL_URL_TOO_LONG`,
 *   `SHL_INVALID_KEY`, `SHL_INVALID_EXP`, `SHL_INVALID_FLAG`, `SHL_FLAG_CONFLICT`, `SHL_INVALID_LABEL`,
 *   `SHL_LABEL_TOO_LONG`, `SHL_INVALID_VERSION` or `SHL_UNSUPPORTED_VERSION`
 */
export const encodeShlink = (payload: ShlPayload, options: EncodeShlinkOptions = {}): string => {
  const [first] = checkShlPayload(payload);
  if (first) throw new ShlError(first.code, first.message, { field: first.field });
  const shlink = `${SHLINK_PREFIX}${encodeBase64url(utf8(JSON.stringify(payload)))}`;
  if (options.viewerUrl === undefined) return shlink;
  const viewer = options.viewerUrl.endsWith('#') ? options.viewerUrl : `${options.viewerUrl}#`;
  return `${viewer}${shlink}`;
};
