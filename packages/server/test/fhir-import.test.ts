import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decryptFile } from '@shlkit/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ipsSampleNames, readSample } from '../../../test-support/samples.js';
import { ServerError } from '../src/errors.js';
import { fetchPatientSummary } from '../src/fhir-import/fetch-patient-summary.js';
import { testDatabases } from './support/databases.js';
import { startFhirServer } from './support/fhir-server.js';
import { AUTH, startTestApp, type TestApp } from './support/test-app.js';

const TOKEN = 'fhir-token-123';
// Long enough for the 1.8 MB sample on a loaded machine (300 ms timed out there), short of the 3 s "slow"
// patient.
const TIMEOUT_MS = 2000;

describe.each(testDatabases())('POST /api/links/from-fhir on $name', (target) => {
  let fhir: Awaited<ReturnType<typeof startFhirServer>>;
  let t: TestApp;
  beforeAll(async () => {
    fhir = await startFhirServer();
    t = await startTestApp(target, {
      FHIR_BASE_URL: fhir.url,
      FHIR_AUTH_TOKEN: TOKEN,
      FHIR_TIMEOUT_MS: String(TIMEOUT_MS),
    });
  });
  afterAll(async () => {
    await t?.close();
    fhir?.server.closeAllConnections();
    await new Promise((resolve) => fhir?.server.close(resolve));
  });

  const fromFhir = (payload: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: '/api/links/from-fhir', headers: AUTH, payload });

  it('creates a link to each sample IPS (201, the answer of POST /api/links), fetched with the bearer token', async () => {
    for (const [index, name] of ipsSampleNames().entries()) {
      const res = await fromFhir({ patientId: `sample-${index}`, label: 'From FHIR', maxUses: 3 });
      expect(res.statusCode).toBe(201);
      const link = res.json();
      expect(link).toMatchObject({ status: 'active', label: 'From FHIR', maxUses: 3, fileCount: 1 });
      const manifest = (
        await t.app.inject({ method: 'POST', url: `/shl/${link.id}`, payload: { recipient: 'r' } })
      ).json();
      const entry = manifest.files[0];
      // The larger samples pass SHL_EMBEDDED_LENGTH_MAX and come by location.
      const location = entry.location === undefined ? undefined : new URL(entry.location);
      const jwe =
        location === undefined
          ? entry.embedded
          : (await t.app.inject({ url: `${location.pathname}${location.search}` })).body;
      const file = await decryptFile(jwe, link.payload.key);
      expect(file.text()).toBe(readSample(`ips/${name}`));
    }
    const headers = fhir.seen.at(-1);
    expect(headers?.authorization).toBe(`Bearer ${TOKEN}`);
    expect(headers?.accept).toBe('application/fhir+json');
  });

  it.each([
    ['an unknown patient', 'nobody', /HTTP 404: Resource Patient\/nobody is not known/],
    ['an OperationOutcome', 'outcome', /HTTP 200: Summary generation failed: store offline/],
    ['a timeout', 'slow', new RegExp(`no answer within ${TIMEOUT_MS} ms`)],
    ['a body that is not JSON', 'not-json', /HTTP 500/],
  ])('answers 502 SHL_FHIR_UPSTREAM with the upstream message for %s', async (_, patientId, message) => {
    const res = await fromFhir({ patientId });
    expect(res.statusCode).toBe(502);
    expect(res.json().error.code).toBe('SHL_FHIR_UPSTREAM');
    expect(res.json().error.message).toMatch(message);
  });

  it('answers a retry with the same Idempotency-Key with the same link, without asking the FHIR server again', async () => {
    const send = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/links/from-fhir',
        headers: { ...AUTH, 'idempotency-key': 'fhir-retry-1' },
        payload: { patientId: 'sample-0', label: 'once' },
      });
    const first = await send();
    expect(first.statusCode).toBe(201);
    const asked = fhir.seen.length;
    const again = await send();
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const { managementToken: _first, ...firstLink } = first.json();
    const { managementToken: _again, ...againLink } = again.json();
    expect(againLink).toEqual(firstLink);
    expect(fhir.seen.length).toBe(asked);
  });

  it('answers 422 SHL_NOT_IPS for a Bundle that is not an IPS document, creating nothing', async () => {
    const before = (await t.app.inject({ url: '/api/links?limit=200', headers: AUTH })).json().links.length;
    const res = await fromFhir({ patientId: 'not-ips' });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('SHL_NOT_IPS');
    const after = (await t.app.inject({ url: '/api/links?limit=200', headers: AUTH })).json().links.length;
    expect(after).toBe(before);
  });

  it('refuses a patient id that is not a FHIR id, and content given alongside (400)', async () => {
    for (const payload of [
      { patientId: '../metadata' },
      { patientId: 'x'.repeat(65) },
      { patientId: 'a b' },
      { patientId: 'sample-0', content: { resourceType: 'Patient' } },
    ]) {
      const res = await fromFhir(payload);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('SHL_VALIDATION_FAILED');
    }
  });
});

describe('POST /api/links/from-fhir without FHIR_BASE_URL', () => {
  it('answers 501 SHL_FHIR_NOT_CONFIGURED', async () => {
    const [pglite] = testDatabases();
    if (pglite === undefined) throw new Error('no database');
    const t = await startTestApp(pglite);
    try {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/links/from-fhir',
        headers: AUTH,
        payload: { patientId: 'p1' },
      });
      expect(res.statusCode).toBe(501);
      expect(res.json().error.code).toBe('SHL_FHIR_NOT_CONFIGURED');
    } finally {
      await t.close();
    }
  });

  it('reports a FHIR server that cannot be reached as SHL_FHIR_UPSTREAM', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const failure = await fetchPatientSummary(
      { baseUrl: `http://127.0.0.1:${port}/fhir`, timeoutMs: 2000 },
      'p1',
    ).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ServerError);
    expect(failure).toMatchObject({ code: 'SHL_FHIR_UPSTREAM' });
    expect((failure as Error).message).toMatch(/could not be reached \(ECONNREFUSED\)/);
  });
});
