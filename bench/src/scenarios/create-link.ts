import { encryptFile, FHIR_JSON, generateShlKey } from '@shlkit/core';
import { largeIps } from '../fixtures.js';
import { median, msSince } from '../median.js';
import { BENCH_API_KEY } from '../spawn-server.js';
import type { BenchContext } from './bench-context.js';

/** Link creation from the 1.8 MB IPS against bare jose encryption of the same bytes. */
export interface CreateFigures {
  /** Bytes of the IPS text encrypted by both. */
  contentBytes: number;
  /** Median milliseconds of `POST /api/links`, request sent to answer read, from the bench process. */
  createMs: number;
  /** Median milliseconds of core's `encryptFile` (jose, A256GCM, no compression) in the bench process. */
  joseMs: number;
  /** createMs / joseMs. */
  ratio: number;
  runs: number;
}

/**
 * Creates `createRuns` links from the 1.8 MB IPS (sent as JSON text, which the server encrypts byte for
 * byte) and encrypts the same text with core's `encryptFile` as often, alternating, after one unmeasured
 * run of each. Compression off on both: the server's default (`SHL_COMPRESS_FILES=false`).
 *
 * @throws Error when a creation does not answer 201.
 */
export const measureCreateLink = async (context: BenchContext): Promise<CreateFigures> => {
  const text = largeIps();
  const body = JSON.stringify({ content: text, label: 'bench create' });
  const create = async () => {
    const response = await fetch(`${context.server.url}/api/links`, {
      method: 'POST',
      body,
      headers: { authorization: `Bearer ${BENCH_API_KEY}`, 'content-type': 'application/json' },
    });
    const answer = await response.text();
    if (response.status !== 201) throw new Error(`POST /api/links answered ${response.status}: ${answer}`);
  };
  const key = generateShlKey();
  const encrypt = () => encryptFile(text, key, { contentType: FHIR_JSON, compress: false });
  await create();
  await encrypt();
  const createMs: number[] = [];
  const joseMs: number[] = [];
  for (let run = 0; run < context.settings.createRuns; run += 1) {
    let started = process.hrtime.bigint();
    await create();
    createMs.push(msSince(started));
    started = process.hrtime.bigint();
    await encrypt();
    joseMs.push(msSince(started));
  }
  const createMedian = median(createMs);
  const joseMedian = median(joseMs);
  return {
    contentBytes: Buffer.byteLength(text),
    createMs: createMedian,
    joseMs: joseMedian,
    ratio: createMedian / joseMedian,
    runs: context.settings.createRuns,
  };
};
