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
 */
export const encodeShlink = (payload: ShlPayload, options: EncodeShlinkOptions = {}): string => {
  const [first] = checkShlPayload(payload);
  if (first) throw new ShlError(first.code, first.message, { field: first.field });
  const shlink = `${SHLINK_PREFIX}${encodeBase64url(utf8(JSON.stringify(payload)))}`;
  if (options.viewerUrl === undefined) return shlink;
  const viewer = options.viewerUrl.endsWith('#') ? options.viewerUrl : `${options.viewerUrl}#`;
  return `${viewer}${shlink}`;
};
