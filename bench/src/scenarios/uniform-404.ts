import { randomBytes } from 'node:crypto';
import { median } from '../median.js';

const timeOne = async (url: string, body: string): Promise<number> => {
  const start = process.hrtime.bigint();
  const response = await fetch(url, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json' },
  });
  await response.arrayBuffer();
  if (response.status !== 404)
    throw new Error(`expected the uniform 404, got ${response.status} from ${url}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
};

/**
 * The uniform 404's latency: manifest requests to unknown ids and to an inactive (deleted) link,
 * interleaved one by one so that load on the machine falls on both alike, `pairs` of each. The test suite
 * checks that both run the same statements (uniform-not-found.test.ts); this measures what that buys.
 * One request at a time from the bench process: this is latency, not throughput. Medians in milliseconds.
 */
export const measureUniform404 = async (
  base: string,
  inactiveUrl: string,
  pairs: number,
): Promise<{ unknownMs: number; inactiveMs: number }> => {
  const body = JSON.stringify({ recipient: 'bench' });
  const unknown: number[] = [];
  const inactive: number[] = [];
  for (let index = 0; index < pairs; index += 1) {
    const unknownUrl = `${base}/shl/${randomBytes(32).toString('base64url')}`;
    // Alternate which goes first, so that neither always meets a warm cache.
    if (index % 2 === 0) {
      unknown.push(await timeOne(unknownUrl, body));
      inactive.push(await timeOne(inactiveUrl, body));
    } else {
      inactive.push(await timeOne(inactiveUrl, body));
      unknown.push(await timeOne(unknownUrl, body));
    }
  }
  return { unknownMs: median(unknown), inactiveMs: median(inactive) };
};
