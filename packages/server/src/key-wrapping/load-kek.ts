import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeBase64url, encodeBase64url } from '@shlkit/core';
import { type Config, MEMORY_DATA_DIR } from '../config.js';
import { ServerError } from '../errors.js';
import type { Random } from '../random.js';

export const KEK_FILE = 'key-encryption-key';

/**
 * The key-encryption key: from SHL_KEY_ENCRYPTION_KEY, else from `DATA_DIR/key-encryption-key`, generated
 * there once (mode 0600, created exclusively so two processes starting together agree on one). With
 * `DATA_DIR=memory://` a key lives only as long as the process, like the database.
 */
export const loadKeyEncryptionKey = (
  config: Pick<Config, 'keyEncryptionKey' | 'dataDir'>,
  random: Random,
): Uint8Array => {
  if (config.keyEncryptionKey !== undefined) return decodeBase64url(config.keyEncryptionKey);
  if (config.dataDir === MEMORY_DATA_DIR) return random(32);
  mkdirSync(config.dataDir, { recursive: true });
  const file = join(config.dataDir, KEK_FILE);
  try {
    writeFileSync(file, `${encodeBase64url(random(32))}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const text = readFileSync(file, 'utf8').trim();
  const kek = decodeBase64url(text);
  if (kek.length !== 32) {
    throw new ServerError('SHL_CONFIG_INVALID', `${file} does not hold a 32-byte base64url key`, {
      field: 'SHL_KEY_ENCRYPTION_KEY',
    });
  }
  return kek;
};
