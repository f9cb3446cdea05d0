import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type Handler = (request: RecordedRequest, response: ServerResponse) => void | Promise<void>;

export interface HttpFixture {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** Every request the server received, in order. */
  requests: RecordedRequest[];
  /** Routes by path (without query); a missing route answers 404. Replace entries freely during a test. */
  routes: Map<string, Handler>;
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 with an ephemeral port: the counterpart the client talks to in tests. */
export const startHttpFixture = async (): Promise<HttpFixture> => {
  const requests: RecordedRequest[] = [];
  const routes = new Map<string, Handler>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      const handler = routes.get(recorded.path.split('?')[0] ?? '');
      if (!handler) {
        res.writeHead(404).end();
        return;
      }
      Promise.resolve(handler(recorded, res)).catch((error: unknown) => {
        res.writeHead(500).end(String(error));
      });
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    routes,
    close: () =>
      new Promise<void>((done, fail) => {
        server.closeAllConnections();
        server.close((error) => (error ? fail(error) : done()));
      }),
  };
};

export const sendJson = (response: ServerResponse, status: number, json: unknown, headers = {}): void => {
  response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(json));
};

export const sendText = (
  response: ServerResponse,
  status: number,
  text: string,
  contentType: string,
): void => {
  response.writeHead(status, { 'content-type': contentType }).end(text);
};

/** Options that let the client talk to the fixture on 127.0.0.1 over http. */
export const local = { allowHttp: true, allowPrivateNetwork: true } as const;
