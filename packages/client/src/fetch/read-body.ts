import { ShlClientError } from '../errors.js';

/**
 * Reads a response body while counting, and stops (cancelling the stream) as soon as it passes `maxBytes`,
 * so a hostile server cannot make the receiver buffer an unbounded answer. `content-length` is checked
 * first, but never trusted alone: it may be absent or lie.
 */
export const readBodyCapped = async (response: Response, maxBytes: number): Promise<Uint8Array> => {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge(maxBytes, response.status);
  }
  if (!response.body) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(maxBytes, response.status);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
};

const tooLarge = (maxBytes: number, status: number) =>
  new ShlClientError('SHL_RESPONSE_TOO_LARGE', `the response is larger than ${maxBytes} bytes`, { status });
