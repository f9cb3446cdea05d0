import type { StoredFile } from '../links/links.repository.js';

/**
 * Stored files this process served lately, by file id, so that a group-commit batch need not read their
 * JWE from the database again (group-commit/serve-many.ts). Why that is safe: a file's JWE never changes.
 * Files are only inserted, with a fresh random id, and deleted (links/links.repository.ts, the retention
 * sweep); nothing updates `shl_files.jwe`. So the bytes held for an id are that id's bytes for as long as
 * any row has it. Whether a request is *served* is still decided by the database in the batch's
 * statement, as is its access-log row: the cache only spares reading and decoding what the statement
 * already said to send. It holds ciphertext, as the database does.
 *
 * Why: on PostgreSQL the direct-file GET of a 132,715-byte JWE spent about a third of its CPU on the
 * file's bytes: the database reading the TOASTed value, the socket carrying it once per batch, and `pg`
 * decoding it into a string (about 1.8 s of 13.4 s busy in a profile of 40,000 GETs).
 *
 * Bounded by the bytes it holds (each file counted twice: the string and its encoded bytes); the least
 * recently used go first.
 */
export interface JweCache {
  /** The files held for these ids, by id; ids not held are left out. Marks them as used. */
  take(fileIds: Iterable<string>): Map<string, StoredFile>;
  /** The ids of the files last served for this link (its files may have changed since: then a miss). */
  fileIdsOf(linkId: string): readonly string[];
  /**
   * Keeps files the database just returned; with `linkId`, notes them as all of that link's files (a
   * direct-file batch reads them all; a `location` batch reads only the ones asked for).
   */
  keep(files: readonly StoredFile[], linkId?: string): void;
}

/** Bytes held at most by default: 32 MB, about 120 files of 132 KB. */
export const JWE_CACHE_BYTES = 32 * 1024 * 1024;

export const createJweCache = (maxBytes = JWE_CACHE_BYTES): JweCache => {
  // Map keeps insertion order: the first key is the least recently used.
  const files = new Map<string, StoredFile>();
  const linkFiles = new Map<string, readonly string[]>();
  let held = 0;
  const sizeOf = (file: StoredFile) => 2 * file.jwe.length;

  return {
    take: (fileIds) => {
      const found = new Map<string, StoredFile>();
      for (const id of fileIds) {
        const file = files.get(id);
        if (file === undefined) continue;
        files.delete(id);
        files.set(id, file);
        found.set(id, file);
      }
      return found;
    },
    fileIdsOf: (linkId) => linkFiles.get(linkId) ?? [],
    keep: (kept, linkId) => {
      if (linkId !== undefined) {
        linkFiles.delete(linkId);
        linkFiles.set(
          linkId,
          kept.map((file) => file.id),
        );
      }
      for (const file of kept) {
        // A file larger than the whole budget is not kept.
        if (files.has(file.id) || sizeOf(file) > maxBytes) continue;
        files.set(file.id, file);
        held += sizeOf(file);
      }
      for (const [id, file] of files) {
        if (held <= maxBytes) break;
        files.delete(id);
        held -= sizeOf(file);
      }
      // The link index is small (ids only); bound it to the links whose files could still be held.
      while (linkFiles.size > 4 * Math.max(files.size, 256)) {
        const oldest = linkFiles.keys().next().value as string;
        linkFiles.delete(oldest);
      }
    },
  };
};
