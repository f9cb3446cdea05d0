import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BareServer {
  url: string;
  close(): Promise<void>;
}

/**
 * The baseline: a bare `node:http` server that reads the request body and answers the same bytes and
 * headers our server answered, with no routing, validation, database or logging. Our server's rate divided
 * by this one's is the cost of everything shlkit does per request.
 */
export const startBareServer = async (body: Buffer, headers: IncomingHttpHeaders): Promise<BareServer> => {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, {
        'content-type': headers['content-type'] ?? 'application/json',
        'content-length': body.length,
        'access-control-allow-origin': '*',
      });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
