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
 * Bounded by the bytes it holds (each file counted twice, the string and its encoded bytes, plus
 * `JWE_CACHE_ENTRY_BYTES` for the objects around them); the least recently used go first. A JWE shorter
 * than `minLength` is not kept at all: reading a few hundred bytes again costs less than holding them, and
 * a manifest batch serves links with small files by the thousand, which would otherwise push out the large
 * files that are worth holding. Bounded in time too: a file is held at most about `ttlMs` (and a quarter) after
 * it was read, whether or not requests come. A link deleted for good has its ciphertext purged from the
 * database at once; this process may still hold it in memory that long (never serving it: the database
 * no longer returns its row).
 */
export interface JweCache {
  /** The files held for these ids, by id; ids not held are left out. Marks them as used. */
  take(fileIds: Iterable<string>): Map<string, StoredFile>;
  /** The ids of the files last served for this link (its files may have changed since: then a miss). */
  fileIdsOf(linkId: string): readonly string[];
  /**
   * Keeps files the database just returned; with `linkId`, notes them as all of that link's files (a
   * manifest or direct-file batch reads them all; a `location` batch reads only the ones asked for).
   */
  keep(files: readonly StoredFile[], linkId?: string): void;
  /** Bytes held now, as counted against `maxBytes`. */
  bytes(): number;
}

export interface JweCacheOptions {
  /** Bytes held at most (default 32 MB, about 120 files of 132 KB). */
  maxBytes?: number;
  /** Milliseconds a file is held at most after it was read (default 10 minutes). */
  ttlMs?: number;
  /** Characters a JWE needs to be kept (default 4,096). */
  minLength?: number;
  /** Milliseconds since the epoch (default `Date.now`). */
  now?: () => number;
}

export const JWE_CACHE_BYTES = 32 * 1024 * 1024;
export const JWE_CACHE_TTL_MS = 10 * 60_000;
export const JWE_CACHE_MIN_LENGTH = 4096;
/**
 * Bytes counted for each file besides its JWE: the StoredFile, its Date and strings, the map entries. An
 * estimate, so that many small entries cannot hold much more than `maxBytes`.
 */
export const JWE_CACHE_ENTRY_BYTES = 512;

export const createJweCache = ({
  maxBytes = JWE_CACHE_BYTES,
  ttlMs = JWE_CACHE_TTL_MS,
  minLength = JWE_CACHE_MIN_LENGTH,
  now = Date.now,
}: JweCacheOptions = {}): JweCache => {
  // Map keeps insertion order: the first key is the least recently used.
  const files = new Map<string, { file: StoredFile; readAt: number }>();
  const linkFiles = new Map<string, readonly string[]>();
  let held = 0;
  let sweptAt = now();
  const sizeOf = (file: StoredFile) => 2 * file.jwe.length + JWE_CACHE_ENTRY_BYTES;
  const drop = (id: string) => {
    const entry = files.get(id);
    if (entry === undefined) return;
    files.delete(id);
    held -= sizeOf(entry.file);
  };
  /** Drops every file past its time, at most once per quarter of `ttlMs`: files nobody asks for again go too. */
  const sweep = (at: number) => {
    if (at - sweptAt < ttlMs / 4) return;
    sweptAt = at;
    for (const [id, entry] of files) if (at - entry.readAt >= ttlMs) drop(id);
  };
  // While anything is held, a timer sweeps too, so that an idle process lets go of files in time as well.
  // It does not keep the process alive, and stops once nothing is held.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const schedule = () => {
    if (timer !== undefined || files.size === 0) return;
    timer = setTimeout(() => {
      timer = undefined;
      sweep(now());
      schedule();
    }, ttlMs / 4);
    timer.unref();
  };

  return {
    take: (fileIds) => {
      const at = now();
      sweep(at);
      const found = new Map<string, StoredFile>();
      for (const id of fileIds) {
        const entry = files.get(id);
        if (entry === undefined) continue;
        if (at - entry.readAt >= ttlMs) {
          drop(id);
          continue;
        }
        files.delete(id);
        files.set(id, entry);
        found.set(id, entry.file);
      }
      return found;
    },
    fileIdsOf: (linkId) => linkFiles.get(linkId) ?? [],
    bytes: () => held,
    keep: (kept, linkId) => {
      if (linkId !== undefined) {
        linkFiles.delete(linkId);
        linkFiles.set(
          linkId,
          kept.map((file) => file.id),
        );
      }
      const at = now();
      for (const file of kept) {
        // A file larger than the whole budget is not kept, nor a short one; one held already keeps its
        // first read's time.
        if (files.has(file.id) || file.jwe.length < minLength || sizeOf(file) > maxBytes) continue;
        files.set(file.id, { file, readAt: at });
        held += sizeOf(file);
      }
      for (const id of files.keys()) {
        if (held <= maxBytes) break;
        drop(id);
      }
      sweep(at);
      schedule();
      // The link index is small (ids only); bound it to the links whose files could still be held.
      while (linkFiles.size > 4 * Math.max(files.size, 256)) {
        const oldest = linkFiles.keys().next().value as string;
        linkFiles.delete(oldest);
      }
    },
  };
};
