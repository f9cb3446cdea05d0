import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MEMORY_DATA_DIR } from '../src/config.js';
import { generatedKekWarning } from '../src/key-wrapping/kek-warning.js';
import { wrappedKekId, createKeyWrapper, kekId } from '../src/key-wrapping/key-wrapper.js';
import { KEK_FILE, loadKeyEncryptionKey, loadKeyRing } from '../src/key-wrapping/load-kek.js';
import { cryptoRandom } from '../src/random.js';

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
const key = () => new Uint8Array(randomBytes(32));
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'shlkit-kek-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});
const none = {
  keyEncryptionKey: undefined,
  keyEncryptionKeyFile: undefined,
  keyEncryptionKeyPrevious: undefined,
  databaseUrl: undefined,
};
const refused = (run: () => unknown, field: string) =>
  expect(run).toThrow(expect.objectContaining({ code: 'SHL_CONFIG_INVALID', field }));

/** Where the key-encryption key comes from (src/key-wrapping/load-kek.ts) and what a start says of it. */
describe('loading the key-encryption key ring', () => {
  it('takes SHL_KEY_ENCRYPTION_KEY, trimmed, with the previous keys of SHL_KEY_ENCRYPTION_KEY_PREVIOUS', () => {
    const [current, old1, old2] = [key(), key(), key()];
    const loaded = loadKeyRing(
      {
        ...none,
        dataDir: MEMORY_DATA_DIR,
        keyEncryptionKey: ` ${text(current)}\n`,
        keyEncryptionKeyPrevious: `${text(old1)},,${text(old2)}`,
      },
      cryptoRandom,
    );
    expect(loaded).toEqual({
      ring: { current, previous: [old1, old2] },
      source: 'environment',
      generated: false,
    });
  });

  it.each([
    ['42 characters', text(key()).slice(1)],
    ['44 characters', `${text(key())}A`],
    ['a character outside base64url', `${text(key()).slice(1)}+`],
    ['a key after other text', `x${text(key())}`],
  ])('refuses a key of %s', (_name, bad) => {
    refused(
      () => loadKeyRing({ ...none, dataDir: MEMORY_DATA_DIR, keyEncryptionKey: bad }, cryptoRandom),
      'SHL_KEY_ENCRYPTION_KEY',
    );
    refused(
      () =>
        loadKeyRing(
          { ...none, dataDir: MEMORY_DATA_DIR, keyEncryptionKey: text(key()), keyEncryptionKeyPrevious: bad },
          cryptoRandom,
        ),
      'SHL_KEY_ENCRYPTION_KEY_PREVIOUS',
    );
  });

  it('reads SHL_KEY_ENCRYPTION_KEY_FILE from outside DATA_DIR, and refuses one inside it or one it cannot read', () => {
    const current = key();
    const outside = join(tempDir(), 'kek');
    writeFileSync(outside, `${text(current)}\n`);
    const dataDir = tempDir();
    expect(loadKeyRing({ ...none, dataDir, keyEncryptionKeyFile: outside }, cryptoRandom)).toEqual({
      ring: { current, previous: [] },
      source: 'file',
      file: outside,
      generated: false,
    });
    const inside = join(dataDir, 'keys', 'kek');
    mkdirSync(join(dataDir, 'keys'));
    writeFileSync(inside, text(current));
    refused(
      () => loadKeyRing({ ...none, dataDir, keyEncryptionKeyFile: inside }, cryptoRandom),
      'SHL_KEY_ENCRYPTION_KEY_FILE',
    );
    refused(
      () => loadKeyRing({ ...none, dataDir, keyEncryptionKeyFile: dataDir }, cryptoRandom),
      'SHL_KEY_ENCRYPTION_KEY_FILE',
    );
    // A sibling whose name begins like DATA_DIR's is outside it.
    const sibling = `${dataDir}-keys`;
    mkdirSync(sibling);
    dirs.push(sibling);
    writeFileSync(join(sibling, 'kek'), text(current));
    expect(
      loadKeyRing({ ...none, dataDir, keyEncryptionKeyFile: join(sibling, 'kek') }, cryptoRandom).source,
    ).toBe('file');
    refused(
      () => loadKeyRing({ ...none, dataDir, keyEncryptionKeyFile: join(tempDir(), 'missing') }, cryptoRandom),
      'SHL_KEY_ENCRYPTION_KEY_FILE',
    );
    // In memory there is no data folder to keep the key out of.
    expect(
      loadKeyRing({ ...none, dataDir: MEMORY_DATA_DIR, keyEncryptionKeyFile: outside }, cryptoRandom).source,
    ).toBe('file');
  });

  it('requires a key with DATABASE_URL', () => {
    refused(
      () =>
        loadKeyRing(
          { ...none, dataDir: tempDir(), databaseUrl: 'postgres://u:p@127.0.0.1/db' },
          cryptoRandom,
        ),
      'SHL_KEY_ENCRYPTION_KEY',
    );
  });

  it('makes a key in memory for DATA_DIR=memory://, and writes none', () => {
    const loaded = loadKeyRing({ ...none, dataDir: MEMORY_DATA_DIR }, cryptoRandom);
    expect(loaded).toMatchObject({ source: 'memory', generated: true });
    expect(loaded.ring.current).toHaveLength(32);
  });

  it('generates a key into DATA_DIR once (mode 0600), and reads the same key at the next start', () => {
    const dataDir = join(tempDir(), 'data');
    const first = loadKeyRing({ ...none, dataDir }, cryptoRandom);
    const file = join(dataDir, KEK_FILE);
    expect(first).toMatchObject({ source: 'data-dir', file, generated: true });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(text(first.ring.current));
    const second = loadKeyRing({ ...none, dataDir }, cryptoRandom);
    expect(second).toMatchObject({ source: 'data-dir', file, generated: false });
    expect(second.ring.current).toEqual(first.ring.current);
    expect(loadKeyEncryptionKey({ ...none, dataDir }, cryptoRandom)).toEqual(first.ring.current);
  });
});

describe('the start-up warning for a key kept in DATA_DIR', () => {
  it('is said for a data-dir key, naming the file and where to move it, and for no other source', () => {
    const file = '/srv/shlkit/data/key-encryption-key';
    const lines = generatedKekWarning({ source: 'data-dir', file, generated: true } as never) ?? [];
    expect(lines.join('\n')).toContain(`GENERATED NOW into the data folder: ${file}`);
    expect(lines.join('\n')).toContain(`mv ${file} /etc/shlkit/key-encryption-key`);
    expect(lines.join('\n')).toContain('SHL_KEY_ENCRYPTION_KEY_FILE=/etc/shlkit/key-encryption-key');
    expect(lines.every((line) => line.startsWith('!!!'))).toBe(true);
    const later = generatedKekWarning({ source: 'data-dir', file, generated: false } as never) ?? [];
    expect(later.join('\n')).toContain(`generated into the data folder: ${file}`);
    expect(later.join('\n')).not.toContain('GENERATED NOW');
    for (const source of ['environment', 'file', 'memory']) {
      expect(generatedKekWarning({ source, file, generated: false } as never), source).toBeUndefined();
    }
    expect(generatedKekWarning({ source: 'data-dir', generated: true } as never)).toBeUndefined();
  });
});

describe('wrapped key ids', () => {
  it('names the key-encryption key a v1 wrapped key was made under, and nothing for another format', () => {
    const kek = key();
    const wrapped = createKeyWrapper(kek, cryptoRandom).wrap('l', key());
    expect(wrappedKekId(wrapped)).toBe(kekId(kek));
    expect(wrappedKekId(`v2${wrapped.slice(2)}`)).toBeUndefined();
  });
});
