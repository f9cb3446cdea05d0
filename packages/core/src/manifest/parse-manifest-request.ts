import { ShlError } from '../errors/shl-error.js';
import type { ManifestRequest } from './manifest.js';

const invalid = (message: string, field: string) =>
  new ShlError('SHL_INVALID_MANIFEST_REQUEST', message, { field });

/**
 * Checks a manifest request body as a server receives it. SHL requires `recipient`; `passcode` and
 * `embeddedLengthMax` are optional. Unknown fields are ignored.
 */
export const parseManifestRequest = (body: unknown): ManifestRequest => {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid('the request body must be a JSON object', '');
  }
  const record = body as Record<string, unknown>;
  if (typeof record.recipient !== 'string' || record.recipient.trim() === '') {
    throw invalid('recipient is required: a non-empty string naming who is asking', 'recipient');
  }
  const request: ManifestRequest = { recipient: record.recipient };
  if (record.passcode !== undefined) {
    if (typeof record.passcode !== 'string') throw invalid('passcode must be a string', 'passcode');
    request.passcode = record.passcode;
  }
  if (record.embeddedLengthMax !== undefined) {
    const max = record.embeddedLengthMax;
    if (typeof max !== 'number' || !Number.isInteger(max) || max < 0) {
      throw invalid('embeddedLengthMax must be a non-negative integer', 'embeddedLengthMax');
    }
    request.embeddedLengthMax = max;
  }
  return request;
};
