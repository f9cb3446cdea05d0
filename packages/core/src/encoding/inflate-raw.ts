import { ShlError } from '../errors/shl-error.js';

/**
 * Inflates raw DEFLATE (RFC 1951, no zlib header) with the web-standard DecompressionStream, stopping as
 * soon as the output passes `maxLength` so that a small hostile input cannot fill memory.
 */
export const inflateRaw = async (input: Uint8Array, maxLength: number): Promise<Uint8Array> => {
  const stream = new Blob([input as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new DecompressionStream('deflate-raw'));
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      length += value.byteLength;
      if (length > maxLength) {
        await reader.cancel();
        throw new ShlError('SHL_DECOMPRESSED_TOO_LARGE', `inflated data passes the ${maxLength}-byte limit`);
      }
      chunks.push(value);
    }
  } catch (cause) {
    if (cause instanceof ShlError) throw cause;
    throw new ShlError('SHL_INVALID_CONTENT', 'the data is not valid raw DEFLATE', { cause });
  }
  const output = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    output.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return output;
};
