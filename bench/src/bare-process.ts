import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { OutgoingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnNode, terminate } from './child-process.js';

const BARE_SERVER = new URL('./bare-server.js', import.meta.url);

/** An answer as shlkit sent it: the status, the headers (hop-by-hop ones left out) and the body bytes. */
export interface RecordedAnswer {
  status: number;
  headers: OutgoingHttpHeaders;
  body: Buffer;
}

/** Headers that belong to the connection or are written by node:http itself, not to the answer. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'date']);

/**
 * Records one real answer of the shlkit server (status, headers, body bytes) for the bare baseline to
 * replay. `content-length` is kept: node:http then sends the body unchunked, as Fastify does.
 *
 * @throws Error when the answer's status is not `expectStatus`.
 */
export const recordAnswer = async (
  url: string,
  init: RequestInit,
  expectStatus = 200,
): Promise<RecordedAnswer> => {
  const response = await fetch(url, init);
  const body = Buffer.from(await response.arrayBuffer());
  if (response.status !== expectStatus)
    throw new Error(`${init.method ?? 'GET'} ${url} answered ${response.status}: ${body.toString()}`);
  const headers: OutgoingHttpHeaders = {};
  response.headers.forEach((value, name) => {
    if (!HOP_BY_HOP.has(name)) headers[name] = value;
  });
  // fetch decodes nothing here (no content-encoding asked), so the byte count is the body's.
  headers['content-length'] = String(body.length);
  return { status: response.status, headers, body };
};

export interface BareProcess {
  /** `http://127.0.0.1:<port>`: any path and method gets the recorded answer. */
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/** Starts bare-server.js in its own process, answering `answer` to every request. */
export const startBareProcess = async (answer: RecordedAnswer): Promise<BareProcess> => {
  const dir = mkdtempSync(join(tmpdir(), 'shlkit-bench-bare-'));
  const bodyFile = join(dir, 'body');
  writeFileSync(bodyFile, answer.body);
  const child = spawnNode(
    BARE_SERVER,
    [bodyFile, JSON.stringify({ status: answer.status, headers: answer.headers })],
    {},
  );
  const [line] = (await Promise.race([
    once(child.process.stdout!, 'data'),
    child.exited.then((code) => {
      throw new Error(`the bare server exited with ${code}:\n${child.output()}`);
    }),
  ])) as [Buffer];
  const { port } = JSON.parse(line.toString('utf8')) as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid,
    stop: async () => {
      await terminate(child, 5_000);
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
