import type { Io } from '../io.js';

/**
 * Progress for long uploads and downloads, on stderr and only when a person watches it (stderr is a
 * terminal): scripts and logs get clean output. One line, redrawn in place.
 */
export interface Progress {
  update(label: string, done: number, total?: number): void;
  end(): void;
}

const MIN_BYTES = 64 * 1024;

export const createProgress = (io: Pick<Io, 'stderr'>): Progress => {
  if (!io.stderr.isTTY) return { update() {}, end() {} };
  let drawn = false;
  let last = 0;
  return {
    update(label, done, total) {
      // Small transfers finish before anyone could read a progress line.
      if ((total ?? done) < MIN_BYTES) return;
      const now = Date.now();
      if (now - last < 100 && done !== total) return;
      last = now;
      const percent = total ? ` ${Math.floor((done / total) * 100)}%` : '';
      io.stderr.write(
        `\r${label} ${formatBytes(done)}${total ? ` of ${formatBytes(total)}` : ''}${percent}   `,
      );
      drawn = true;
    },
    end() {
      if (drawn) io.stderr.write('\n');
      drawn = false;
    },
  };
};

export const formatBytes = (bytes: number): string => {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
};

/**
 * Wraps fetch so that response bodies report their bytes as they stream in. The client library fetches
 * manifests and files through it, so `shlkit resolve` shows downloads without knowing the protocol steps.
 */
export const withDownloadProgress = (fetchImpl: typeof fetch, progress: Progress): typeof fetch => {
  const wrapped = async (input: Parameters<typeof fetch>[0], init?: RequestInit): Promise<Response> => {
    const response = await fetchImpl(input, init);
    if (!response.body) return response;
    const total = Number(response.headers.get('content-length')) || undefined;
    let done = 0;
    const counted = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          done += chunk.byteLength;
          progress.update('downloading', done, total);
          controller.enqueue(chunk);
        },
        flush() {
          progress.end();
        },
      }),
    );
    const copy = new Response(counted, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
    // `url` and `redirected` are read-only on a constructed Response; keep the originals for callers.
    Object.defineProperty(copy, 'url', { value: response.url });
    Object.defineProperty(copy, 'redirected', { value: response.redirected });
    return copy;
  };
  return wrapped as typeof fetch;
};

/**
 * Wraps fetch so that a request body larger than 64 kB is streamed and reports its bytes as the connection
 * takes them. The management client uploads through it, so `shlkit create` shows its upload.
 */
export const withUploadProgress = (fetchImpl: typeof fetch, progress: Progress): typeof fetch => {
  const wrapped = async (input: Parameters<typeof fetch>[0], init?: RequestInit): Promise<Response> => {
    if (typeof init?.body !== 'string' || init.body.length <= MIN_BYTES) return fetchImpl(input, init);
    // Node's fetch needs `duplex: 'half'` for a stream body (the request is sent before the answer is read).
    const streamed: RequestInit & { duplex: 'half' } = {
      ...init,
      body: uploadBody(init.body, progress),
      duplex: 'half',
    };
    return fetchImpl(input, streamed);
  };
  return wrapped as typeof fetch;
};

/** A request body that reports its bytes as the connection takes them. */
const uploadBody = (body: string, progress: Progress): ReadableStream<Uint8Array> => {
  const bytes = new TextEncoder().encode(body);
  const chunkSize = 64 * 1024;
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.byteLength) {
        progress.end();
        controller.close();
        return;
      }
      const end = Math.min(offset + chunkSize, bytes.byteLength);
      controller.enqueue(bytes.subarray(offset, end));
      offset = end;
      progress.update('uploading', offset, bytes.byteLength);
    },
  });
};
