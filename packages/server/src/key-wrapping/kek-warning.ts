import type { RunningServer } from '../server.js';

/**
 * The start-up warning for a key-encryption key generated into DATA_DIR, or undefined when the key came
 * from SHL_KEY_ENCRYPTION_KEY(_FILE) or lives in memory. Lines of text for people, said at every start
 * (not only the first), because the risk lasts as long as the key sits beside the data: a copy or backup of
 * the data folder then decrypts every link.
 */
export const generatedKekWarning = (kek: RunningServer['keyEncryptionKey']): string[] | undefined => {
  if (kek.source !== 'data-dir' || kek.file === undefined) return undefined;
  const outside = '/etc/shlkit/key-encryption-key';
  return [
    '!!! WARNING: the key-encryption key that protects every link key was',
    `!!! ${kek.generated ? 'GENERATED NOW' : 'generated'} into the data folder: ${kek.file}`,
    '!!! Anyone with a copy or backup of the data folder can decrypt every link.',
    '!!! Move it out of the data folder (and out of its backups) and point the server at it:',
    `!!!   mkdir -p /etc/shlkit && mv ${kek.file} ${outside}`,
    `!!!   export SHL_KEY_ENCRYPTION_KEY_FILE=${outside}`,
    '!!! or put its content in SHL_KEY_ENCRYPTION_KEY from a secret store (see docs/deploying.md).',
  ];
};
