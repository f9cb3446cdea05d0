import { ShlError } from '../errors/shl-error.js';
import type { Manifest, ManifestFile, ManifestStatus } from './manifest.js';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const invalid = (message: string, field: string) => new ShlError('SHL_INVALID_MANIFEST', message, { field });

/**
 * Every status string is kept as sent, known or not: dropping one we do not know would show withdrawn data
 * (`no-longer-valid`, a ballot draft's `entered-in-error`) as current. Receivers parse leniently (SHL
 * section 6), so a status that is not a string at all is ignored rather than refused.
 */
const readStatus = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

const readOptionalString = (value: unknown, field: string): string | undefined => {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalid(`${field} must be a string`, field);
  return value;
};

/**
 * Reads a manifest as a receiver: unknown fields are dropped, and both the STU 1 shape (manifest-level
 * `status`, per-file `lastUpdated`) and the older per-file `status`/`fhirVersion` shape are accepted.
 * Each file must have a content type and `embedded` or `location`. Spec: SHL STU 1, the manifest
 * (docs/shl-protocol.md section 2, "Manifest request"; section 6, "Receiver duties").
 *
 * @param json - the parsed body of a 200 answer to a manifest request
 * @returns the manifest: `files` (content type, `embedded` and/or `location`, `lastUpdated`, any status as
 *   sent), `status` as sent, `list` when it is an object
 * @throws {ShlError} `SHL_INVALID_MANIFEST`, with `field` (`files[2].location`...), for a body that is not
 *   an object, has no `files` array, or a file without a content type, without `embedded` and `location`,
 *   or with a string field that is not a string
 */
export const parseManifest = (json: unknown): Manifest => {
  if (!isRecord(json)) throw invalid('the manifest is not a JSON object', '');
  if (!Array.isArray(json.files)) throw invalid('the manifest has no files array', 'files');
  const files = json.files.map((file, index): ManifestFile => {
    const at = `files[${index}]`;
    if (!isRecord(file)) throw invalid(`${at} is not an object`, at);
    if (typeof file.contentType !== 'string' || file.contentType === '') {
      throw invalid(`${at}.contentType is missing`, `${at}.contentType`);
    }
    const embedded = readOptionalString(file.embedded, `${at}.embedded`);
    const location = readOptionalString(file.location, `${at}.location`);
    if (embedded === undefined && location === undefined) {
      throw invalid(`${at} has neither embedded nor location`, at);
    }
    const parsed: ManifestFile = { contentType: file.contentType };
    if (embedded !== undefined) parsed.embedded = embedded;
    if (location !== undefined) parsed.location = location;
    const lastUpdated = readOptionalString(file.lastUpdated, `${at}.lastUpdated`);
    if (lastUpdated !== undefined) parsed.lastUpdated = lastUpdated;
    const status = readStatus(file.status);
    if (status !== undefined) parsed.status = status;
    const fhirVersion = readOptionalString(file.fhirVersion, `${at}.fhirVersion`);
    if (fhirVersion !== undefined) parsed.fhirVersion = fhirVersion;
    return parsed;
  });
  const manifest: Manifest = { files };
  const status = readStatus(json.status);
  if (status !== undefined) manifest.status = status;
  if (isRecord(json.list)) manifest.list = json.list;
  return manifest;
};

/**
 * The manifest's status across both shapes: the STU 1 manifest field as sent (also one we do not know),
 * else the older per-file fields (`can-change` wins over `finalized`, `no-longer-valid` over both), else
 * undefined. Per-file statuses that are not manifest statuses (`entered-in-error`, `retracted`) stay on
 * their files. Never throws. Spec: SHL STU 1, manifest `status` (docs/shl-protocol.md section 2).
 *
 * @param manifest - a manifest from `parseManifest`
 */
export const manifestStatus = (manifest: Manifest): Manifest['status'] => {
  if (manifest.status) return manifest.status;
  const statuses = new Set<string | undefined>(manifest.files.map((file) => file.status));
  for (const status of ['no-longer-valid', 'can-change', 'finalized'] as const satisfies ManifestStatus[])
    if (statuses.has(status)) return status;
  return undefined;
};
