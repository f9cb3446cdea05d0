import { readdirSync, readFileSync } from 'node:fs';
import { decodeShlink, decryptFile, type ShlPayload } from '@shlkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from './support/databases.js';
import { AUTH, type ListeningServer, samplesDir, startListeningServer } from './support/test-app.js';

const ipsDir = new URL('ips/', samplesDir);
const samples = readdirSync(ipsDir)
  .filter((name) => name.endsWith('.json'))
  .sort();

/** Every legal flag combination (SHL: U never with P). */
const FLAG_SETS = ['', 'L', 'P', 'U', 'LP', 'LU'] as const;
const PASSCODE = 'correct horse';

/** Reads a link back as a receiver does, over real HTTP, and returns the decrypted bytes of its one file. */
const readBack = async (shlink: string, embeddedLengthMax?: number): Promise<Uint8Array> => {
  const payload: ShlPayload = decodeShlink(shlink);
  if (payload.flag?.includes('U')) {
    const res = await fetch(`${payload.url}?recipient=${encodeURIComponent('round trip')}`);
    expect(res.status).toBe(200);
    return (await decryptFile(await res.text(), payload.key)).plaintext;
  }
  const res = await fetch(payload.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      recipient: 'round trip',
      ...(payload.flag?.includes('P') ? { passcode: PASSCODE } : {}),
      ...(embeddedLengthMax === undefined ? {} : { embeddedLengthMax }),
    }),
  });
  expect(res.status).toBe(200);
  const manifest = (await res.json()) as {
    status: string;
    files: { embedded?: string; location?: string }[];
  };
  expect(manifest.status).toBe(payload.flag?.includes('L') ? 'can-change' : 'finalized');
  expect(manifest.files).toHaveLength(1);
  const [file] = manifest.files;
  let jwe = file?.embedded;
  if (jwe === undefined) {
    const located = await fetch(file?.location ?? '');
    expect(located.headers.get('content-type')).toBe('application/jose');
    jwe = await located.text();
  }
  return (await decryptFile(jwe, payload.key)).plaintext;
};

describe.each(testDatabases())(
  'every IPS sample with every flag combination over real HTTP on $name',
  (target) => {
    let server: ListeningServer;
    beforeAll(async () => {
      server = await startListeningServer(target);
    });
    afterAll(() => server?.close());

    it.each(samples)('%s reads back byte for byte', async (sample) => {
      const text = readFileSync(new URL(sample, ipsDir), 'utf8');
      const original = new Uint8Array(readFileSync(new URL(sample, ipsDir)));
      for (const [index, flags] of FLAG_SETS.entries()) {
        const res = await fetch(`${server.url}/api/links`, {
          method: 'POST',
          headers: { ...AUTH, 'content-type': 'application/json' },
          body: JSON.stringify({
            // The JSON text as a string: kept byte for byte.
            content: text,
            label: `${sample} ${flags}`.slice(0, 80),
            longTerm: flags.includes('L'),
            direct: flags.includes('U'),
            ...(flags.includes('P') ? { passcode: PASSCODE } : {}),
          }),
        });
        expect(res.status, `${sample} flags "${flags}"`).toBe(201);
        const link = (await res.json()) as { shlink: string; flag: string };
        expect(link.flag).toBe(flags);
        // Every other read asks for location URLs, so both ways out of the manifest are covered.
        const bytes = await readBack(link.shlink, index % 2 === 1 ? 0 : undefined);
        expect(Buffer.compare(Buffer.from(bytes), Buffer.from(original)), `${sample} flags "${flags}"`).toBe(
          0,
        );
      }
    });
  },
);
