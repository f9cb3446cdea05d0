import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ipsSampleNames, readSample } from '../../../../test-support/samples.js';

const operationOutcome = (diagnostics: string) =>
  JSON.stringify({
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code: 'processing', diagnostics }],
  });

/**
 * A small FHIR endpoint started by a test suite: every IPS sample in fixtures/ips at `Patient/sample-<n>/$summary`, and the
 * answers that must fail: an unknown patient (404 with an OperationOutcome), an OperationOutcome with 200,
 * a slow answer, a Bundle that is not an IPS and a body that is not JSON.
 */
export const startFhirServer = async (): Promise<{
  url: string;
  seen: IncomingHttpHeaders[];
  server: Server;
}> => {
  const samples = ipsSampleNames();
  const seen: IncomingHttpHeaders[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers);
    const match = /^\/fhir\/Patient\/([^/]+)\/\$summary$/.exec(req.url ?? '');
    const send = (status: number, body: string, type = 'application/fhir+json') => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    };
    const id = match?.[1];
    const sample = /^sample-(\d+)$/.exec(id ?? '');
    if (sample !== null) {
      const name = samples[Number(sample[1])];
      if (name !== undefined) return send(200, readSample(`ips/${name}`));
    }
    switch (id) {
      case 'outcome':
        return send(200, operationOutcome('Summary generation failed:\u0007 store offline'));
      case 'slow':
        setTimeout(() => send(200, readSample(`ips/${samples[0]}`)), 3000).unref();
        return;
      case 'not-ips':
        return send(200, JSON.stringify({ resourceType: 'Bundle', type: 'searchset', entry: [] }));
      case 'not-json':
        return send(500, '<html>oops</html>', 'text/html');
      default:
        return send(404, operationOutcome(`Resource Patient/${id} is not known`));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/fhir`, seen, server };
};
