import type { Manifest, ManifestFile, ManifestStatus } from '@shlkit/core';
import { jweBytes } from '../files/jwe-bytes.js';
import type { StoredFile } from '../links/links.repository.js';

/** The stored file an `embedded` entry was made from (`embeddedEntry`), so that its bytes are reused. */
const sources = new WeakMap<ManifestFile, StoredFile>();

/**
 * SHL manifest entry that carries its file inline, as `embedded`. Made here, so that `manifestBytes` can
 * find the stored file again and send its JWE as bytes already encoded.
 */
export const embeddedEntry = (file: StoredFile): ManifestFile => {
  const entry: ManifestFile = {
    contentType: file.contentType,
    lastUpdated: file.lastUpdated.toISOString(),
    embedded: file.jwe,
  };
  sources.set(entry, file);
  return entry;
};

// A compact JWE is base64url parts joined by dots: characters JSON never escapes.
const JSON_SAFE_JWE = /^[\w.-]*$/;
const QUOTE = Buffer.from('"');
const embeddedJson = new WeakMap<StoredFile, readonly Buffer[]>();

/** The JWE as a JSON string, as bytes: its `jweBytes` between quotes, or escaped when it would need it. */
const embeddedParts = (entry: ManifestFile, jwe: string): readonly Buffer[] => {
  const file = sources.get(entry);
  if (file === undefined || file.jwe !== jwe) return [Buffer.from(JSON.stringify(jwe))];
  let parts = embeddedJson.get(file);
  if (parts === undefined) {
    parts = JSON_SAFE_JWE.test(jwe) ? [QUOTE, jweBytes(file), QUOTE] : [Buffer.from(JSON.stringify(jwe))];
    embeddedJson.set(file, parts);
  }
  return parts;
};

/**
 * A manifest answer as the bytes of its JSON (UTF-8):
 * `{"status":…,"files":[{"contentType":…,"embedded":…,"location":…,"lastUpdated":…},…]}`, with the members
 * of the route's response schema in its order, and nothing else (a ManifestFile's `status` is only read
 * from older servers, never written).
 *
 * Why not the schema's serializer: an embedded IPS is a JWE of 100 KB or more, and escaping it as a JSON
 * string (`JSON.stringify`) took about 350 µs per answer on Node 20, then encoding the answer as UTF-8
 * for the socket took more. Here a JWE made by `embeddedEntry` is encoded once per stored file: the
 * answers of one group-commit batch, and those of later batches while the file is in the JWE cache
 * (files/jwe-cache.ts), share those bytes with the file answers (files/jwe-bytes.ts). Any other entry is
 * escaped as `JSON.stringify` would.
 */
export const manifestBytes = (manifest: Manifest & { status: ManifestStatus }): Buffer => {
  const parts: Buffer[] = [];
  let text = `{"status":${JSON.stringify(manifest.status)},"files":[`;
  manifest.files.forEach((entry, index) => {
    text += `${index === 0 ? '' : ','}{"contentType":${JSON.stringify(entry.contentType)}`;
    if (entry.embedded !== undefined) {
      parts.push(Buffer.from(`${text},"embedded":`), ...embeddedParts(entry, entry.embedded));
      text = '';
    }
    if (entry.location !== undefined) text += `,"location":${JSON.stringify(entry.location)}`;
    if (entry.lastUpdated !== undefined) text += `,"lastUpdated":${JSON.stringify(entry.lastUpdated)}`;
    text += '}';
  });
  parts.push(Buffer.from(`${text}]}`));
  return Buffer.concat(parts);
};
