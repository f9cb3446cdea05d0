import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { decodeBase64url, encodeBase64url } from '@shlkit/core';
import { type Config, MEMORY_DATA_DIR } from '../config.js';
import { ServerError } from '../errors.js';
import type { Random } from '../random.js';
import type { KeyRing } from './key-wrapper.js';

export const KEK_FILE = 'key-encryption-key';

/** A shell line that prints a fresh key, for messages. */
export const GENERATE_KEK_COMMAND =
  "node -e \"console.log(require('node:crypto').randomBytes(32).toString('base64url'))\"";

/**
 * Where the current key-encryption key came from: `environment` (SHL_KEY_ENCRYPTION_KEY), `file`
 * (SHL_KEY_ENCRYPTION_KEY_FILE), `data-dir` (generated into DATA_DIR, embedded mode only: a copy of the
 * data folder then decrypts every link, which the start message says loudly), or `memory` (DATA_DIR=memory://).
 */
export type KekSource = 'environment' | 'file' | 'data-dir' | 'memory';

export interface LoadedKeyRing {
  ring: KeyRing;
  source: KekSource;
  /** The key file, for `file` and `data-dir`. */
  file?: string;
  /** True when this start generated the `data-dir` key. */
  generated: boolean;
}

type KekConfig = Pick<
  Config,
  'keyEncryptionKey' | 'keyEncryptionKeyFile' | 'keyEncryptionKeyPrevious' | 'dataDir' | 'databaseUrl'
>;

const invalid = (field: string, message: string): ServerError =>
  new ServerError('SHL_CONFIG_INVALID', `${field}: ${message}`, { field });

const readKeyText = (text: string, field: string, where: string): Uint8Array => {
  const trimmed = text.trim();
  const kek = /^[A-Za-z0-9_-]{43}$/.test(trimmed) ? decodeBase64url(trimmed) : undefined;
  if (kek?.length !== 32)
    throw invalid(field, `${where} does not hold a 32-byte base64url key (43 characters)`);
  return kek;
};

const isInside = (file: string, dir: string): boolean => {
  const path = relative(resolve(dir), resolve(file));
  return path === '' || (!path.startsWith('..') && !isAbsolute(path));
};

const readKeyFile = (config: KekConfig, file: string): Uint8Array => {
  const field = 'SHL_KEY_ENCRYPTION_KEY_FILE';
  // A key beside the data is in every copy and backup of the data: the one thing it must not be.
  if (config.dataDir !== MEMORY_DATA_DIR && isInside(file, config.dataDir)) {
    throw invalid(
      field,
      `${file} lies inside DATA_DIR (${config.dataDir}); keep the key outside the data and its backups`,
    );
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw invalid(field, `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return readKeyText(text, field, file);
};

/** Generated once into DATA_DIR (mode 0600, created exclusively so that two starts agree on one key). */
const generatedKey = (
  dataDir: string,
  random: Random,
): { kek: Uint8Array; file: string; generated: boolean } => {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, KEK_FILE);
  let generated = true;
  try {
    writeFileSync(file, `${encodeBase64url(random(32))}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    generated = false;
  }
  return { kek: readKeyText(readFileSync(file, 'utf8'), 'SHL_KEY_ENCRYPTION_KEY', file), file, generated };
};

/**
 * The key ring: the current key-encryption key from SHL_KEY_ENCRYPTION_KEY or SHL_KEY_ENCRYPTION_KEY_FILE
 * (outside DATA_DIR), plus the keys of SHL_KEY_ENCRYPTION_KEY_PREVIOUS, which only unwrap. Without a key:
 * embedded mode generates one into `DATA_DIR/key-encryption-key`; `DATA_DIR=memory://` makes one that lives
 * as long as the process, like the database; PostgreSQL refuses, because every process sharing the
 * database must share the key and a key generated on one machine's disk cannot be.
 *
 * @throws ServerError `SHL_CONFIG_INVALID` (with `field`) for a missing key with DATABASE_URL, an unreadable
 *   or malformed key file, or a key file inside DATA_DIR.
 */
export const loadKeyRing = (config: KekConfig, random: Random): LoadedKeyRing => {
  const previous = (config.keyEncryptionKeyPrevious ?? '')
    .split(',')
    .filter((text) => text !== '')
    .map((text) => readKeyText(text, 'SHL_KEY_ENCRYPTION_KEY_PREVIOUS', 'SHL_KEY_ENCRYPTION_KEY_PREVIOUS'));
  const ring = (current: Uint8Array): KeyRing => ({ current, previous });
  if (config.keyEncryptionKey !== undefined) {
    return {
      ring: ring(readKeyText(config.keyEncryptionKey, 'SHL_KEY_ENCRYPTION_KEY', 'SHL_KEY_ENCRYPTION_KEY')),
      source: 'environment',
      generated: false,
    };
  }
  if (config.keyEncryptionKeyFile !== undefined) {
    const file = config.keyEncryptionKeyFile;
    return { ring: ring(readKeyFile(config, file)), source: 'file', file, generated: false };
  }
  if (config.databaseUrl !== undefined) {
    throw invalid(
      'SHL_KEY_ENCRYPTION_KEY',
      `is required with DATABASE_URL: every server process sharing the database must wrap link keys under the same key-encryption key, so it cannot be generated on one machine's disk. Set SHL_KEY_ENCRYPTION_KEY (or SHL_KEY_ENCRYPTION_KEY_FILE) to the same secret on every process; make one with: ${GENERATE_KEK_COMMAND}`,
    );
  }
  if (config.dataDir === MEMORY_DATA_DIR)
    return { ring: ring(random(32)), source: 'memory', generated: true };
  const { kek, file, generated } = generatedKey(config.dataDir, random);
  return { ring: ring(kek), source: 'data-dir', file, generated };
};

/** The current key alone, for callers that need no ring. See `loadKeyRing`. */
export const loadKeyEncryptionKey = (config: KekConfig, random: Random): Uint8Array =>
  loadKeyRing(config, random).ring.current;
