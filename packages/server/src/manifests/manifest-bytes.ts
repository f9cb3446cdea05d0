import type { Manifest, ManifestFile, ManifestStatus } from '@shlkit/core';
import { Type } from 'typebox';
import { jweBytes } from '../files/jwe-bytes.js';
import { JWE_CACHE_MIN_LENGTH } from '../files/jwe-cache.js';
import type { StoredFile } from '../links/links.repository.js';

/**
 * SHL manifest, as the manifest route's 200 answer is documented (OpenAPI). `manifestBytes` writes exactly
 * these members, in this order.
 */
export const ManifestSchema = Type.Object({
  status: Type.Union([
    Type.Literal('finalized'),
    Type.Literal('can-change'),
    Type.Literal('no-longer-valid'),
  ]),
  files: Type.Array(
    Type.Object({
      contentType: Type.String(),
      embedded: Type.Optional(Type.String()),
      location: Type.Optional(Type.String()),
      lastUpdated: Type.Optional(Type.String()),
    }),
  ),
});

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
 * (files/jwe-cache.ts), share those bytes with the file answers (files/jwe-bytes.ts). Any other entry, and
 * a JWE shorter than the cache's `JWE_CACHE_MIN_LENGTH`, is escaped as `JSON.stringify` would.
 */
export const manifestBytes = (manifest: Manifest & { status: ManifestStatus }): Buffer => {
  const parts: Buffer[] = [];
  let text = `{"status":${JSON.stringify(manifest.status)},"files":[`;
  manifest.files.forEach((entry, index) => {
    text += `${index === 0 ? '' : ','}{"contentType":${JSON.stringify(entry.contentType)}`;
    // A short JWE is escaped in place: it costs little, and is not held beyond this answer's batch.
    if (entry.embedded !== undefined && entry.embedded.length < JWE_CACHE_MIN_LENGTH) {
      text += `,"embedded":${JSON.stringify(entry.embedded)}`;
    } else if (entry.embedded !== undefined) {
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
