import { decodeBase64url, fromUtf8 } from '../encoding/base64url.js';
import { inflateRaw } from '../encoding/inflate-raw.js';
import { ShlError } from '../errors/shl-error.js';
import type { Bundle } from '../ips/fhir.js';

/** SMART Health Cards payloads are small (a QR holds under 3 kB); 1 MiB inflated is far beyond any real card. */
const MAX_SHC_PAYLOAD = 1024 * 1024;

export interface ShcJwsHeader {
  alg?: string;
  kid?: string;
  zip?: string;
  [field: string]: unknown;
}

export interface ShcPayload {
  iss: string;
  nbf?: number;
  exp?: number;
  vc: {
    type?: string[];
    credentialSubject?: { fhirVersion?: string; fhirBundle?: Bundle };
    [field: string]: unknown;
  };
  [field: string]: unknown;
}

export interface ShcContents {
  header: ShcJwsHeader;
  payload: ShcPayload;
  issuer: string;
  fhirBundle: Bundle | undefined;
}

const invalid = (message: string, cause?: unknown) =>
  new ShlError('SHL_INVALID_SHC', message, cause === undefined ? undefined : { cause });

const decodeJson = (part: string, what: string): unknown => {
  try {
    return JSON.parse(fromUtf8(decodeBase64url(part)));
  } catch (cause) {
    throw invalid(`the card's ${what} is not base64url JSON`, cause);
  }
};

/**
 * Reads a SMART Health Card JWS without verifying it: the header, and the payload inflated from raw
 * DEFLATE (SHC: `zip: "DEF"` is required). Verification is `verifyShcJws`. Spec: SMART Health Cards
 * framework (same IG), the card JWS and its compressed payload; SHL STU 1 carries cards in
 * `application/smart-health-card` files (docs/shl-protocol.md section 4, "Encryption", file contents).
 *
 * @param jws - one entry of a file's `verifiableCredential` array (compact JWS, 3 parts)
 * @returns the protected header, the inflated payload (`iss`, `nbf` and `exp` in epoch seconds, `vc`), the
 *   issuer URL and the card's FHIR Bundle (undefined when `vc` holds none)
 * @throws {ShlError} `SHL_INVALID_SHC` for a text that is not 3 parts, a header or payload that is not
 *   base64url JSON, a payload that does not inflate (or inflates past 1 MiB), or one without `iss` or `vc`
 */
export const parseShcJws = async (jws: string): Promise<ShcContents> => {
  const parts = jws.trim().split('.');
  if (parts.length !== 3) throw invalid(`a health card is a compact JWS of 3 parts, got ${parts.length}`);
  const [headerPart = '', payloadPart = ''] = parts;
  const header = decodeJson(headerPart, 'header') as ShcJwsHeader;
  if (typeof header !== 'object' || header === null) throw invalid("the card's header is not an object");
  let payloadBytes: Uint8Array;
  try {
    payloadBytes = decodeBase64url(payloadPart);
  } catch (cause) {
    throw invalid("the card's payload is not base64url", cause);
  }
  if (header.zip === 'DEF') {
    try {
      payloadBytes = await inflateRaw(payloadBytes, MAX_SHC_PAYLOAD);
    } catch (cause) {
      throw invalid("the card's payload does not inflate", cause);
    }
  }
  let payload: ShcPayload;
  try {
    payload = JSON.parse(fromUtf8(payloadBytes)) as ShcPayload;
  } catch (cause) {
    throw invalid("the card's payload is not JSON", cause);
  }
  if (typeof payload !== 'object' || payload === null || typeof payload.iss !== 'string') {
    throw invalid('the card names no issuer (iss)');
  }
  if (typeof payload.vc !== 'object' || payload.vc === null) throw invalid('the card holds no vc claim');
  return { header, payload, issuer: payload.iss, fhirBundle: payload.vc.credentialSubject?.fhirBundle };
};
