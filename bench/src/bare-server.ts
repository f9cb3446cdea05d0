// The baseline, run as a process of its own (bare-process.ts starts it): a bare `node:http` server that
// reads each request body and answers the very bytes, status and headers shlkit answered for that
// scenario, with no routing, validation, database or logging. shlkit's rate divided by this one's is the
// cost of everything shlkit does per request.
//
// Usage: node bare-server.js <body file> <answer JSON: {"status": 200, "headers": {...}}>
// Prints one line, {"port": <port>}, once it listens on 127.0.0.1; stops on SIGTERM.
import { readFileSync } from 'node:fs';
import { createServer, type OutgoingHttpHeaders } from 'node:http';

const [bodyFile, answerJson] = process.argv.slice(2);
if (bodyFile === undefined || answerJson === undefined) {
  console.error('usage: bare-server.js <body file> <answer JSON>');
  process.exit(2);
}
const body = readFileSync(bodyFile);
const answer = JSON.parse(answerJson) as { status: number; headers: OutgoingHttpHeaders };

const server = createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    response.writeHead(answer.status, answer.headers);
    response.end(body);
  });
});
// As the shlkit server keeps connections: autocannon reuses each of its connections for every request.
server.keepAliveTimeout = 72_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ port })}\n`);
});
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
