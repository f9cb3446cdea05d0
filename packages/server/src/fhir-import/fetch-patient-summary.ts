import { isFhirResource, isIpsDocument } from '@shlkit/core';
import { ServerError } from '../errors.js';

export interface FhirServer {
  /** `FHIR_BASE_URL`, e.g. `https://fhir.example.org/r4`; undefined: not configured. */
  baseUrl: string | undefined;
  /** `FHIR_AUTH_TOKEN`, sent as `Authorization: Bearer <token>`. */
  authToken?: string | undefined;
  /** How long to wait for the whole answer (headers and body), in milliseconds. */
  timeoutMs: number;
  /** The fetch to use (default: the global one). */
  fetch?: typeof fetch;
}

/** The longest upstream message quoted in an error answer, in characters. */
const MAX_UPSTREAM_MESSAGE = 300;

/**
 * What a FHIR server says went wrong, made safe to quote: each run of control characters and white space
 * becomes one space, and the text is cut to `MAX_UPSTREAM_MESSAGE` characters (it ends up in our JSON
 * answer and in logs).
 */
const sanitise = (text: string): string => {
  const clean = text.replace(/[\s\p{Cc}]+/gu, ' ').trim();
  return clean.length > MAX_UPSTREAM_MESSAGE ? `${clean.slice(0, MAX_UPSTREAM_MESSAGE)}…` : clean;
};

/** FHIR R4 OperationOutcome: each issue's `diagnostics`, or else its `details.text`. */
const operationOutcomeMessage = (value: unknown): string | undefined => {
  if (!isFhirResource(value) || value.resourceType !== 'OperationOutcome') return undefined;
  const issues = (value as { issue?: unknown }).issue;
  if (!Array.isArray(issues)) return 'OperationOutcome without issues';
  const texts = issues.map((issue: { diagnostics?: unknown; details?: { text?: unknown } }) =>
    typeof issue?.diagnostics === 'string'
      ? issue.diagnostics
      : typeof issue?.details?.text === 'string'
        ? issue.details.text
        : undefined,
  );
  const said = texts.filter((text): text is string => text !== undefined && text !== '');
  return said.length > 0 ? said.join('; ') : 'OperationOutcome without diagnostics';
};

const upstream = (message: string, cause?: unknown): ServerError =>
  new ServerError(
    'SHL_FHIR_UPSTREAM',
    `FHIR server: ${sanitise(message)}`,
    cause === undefined ? {} : { cause },
  );

/**
 * Fetches a patient's summary, `GET [base]/Patient/{id}/$summary` (the IPS operation, HL7 IPS IG), and
 * returns its JSON text as received (kept byte for byte for the link) once it is an IPS document.
 * @throws {ServerError} `SHL_FHIR_NOT_CONFIGURED` without a base URL; `SHL_FHIR_UPSTREAM` for a non-2xx
 *   answer (unknown patient), an OperationOutcome, a timeout, a network error or a body that is not JSON;
 *   `SHL_NOT_IPS` for JSON that is not an IPS document.
 */
export const fetchPatientSummary = async (server: FhirServer, patientId: string): Promise<string> => {
  if (server.baseUrl === undefined) {
    throw new ServerError(
      'SHL_FHIR_NOT_CONFIGURED',
      'this server has no FHIR_BASE_URL to fetch patient summaries from',
    );
  }
  const base = server.baseUrl.endsWith('/') ? server.baseUrl : `${server.baseUrl}/`;
  // The id is checked by the route's schema ([A-Za-z0-9\-.]{1,64}); encoding it anyway costs nothing.
  const url = new URL(`Patient/${encodeURIComponent(patientId)}/$summary`, base);
  const doFetch = server.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const signal = AbortSignal.timeout(server.timeoutMs);
  let status: number;
  let text: string;
  try {
    const res = await doFetch(url, {
      headers: {
        accept: 'application/fhir+json',
        ...(server.authToken === undefined ? {} : { authorization: `Bearer ${server.authToken}` }),
      },
      redirect: 'error',
      signal,
    });
    status = res.status;
    text = await res.text();
  } catch (error) {
    if (signal.aborted) throw upstream(`no answer within ${server.timeoutMs} ms`, error);
    const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
    const detail = typeof cause?.code === 'string' ? cause.code : String(cause?.message ?? error);
    throw upstream(`could not be reached (${detail})`, error);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw upstream(status >= 400 ? `HTTP ${status}` : `HTTP ${status} with a body that is not JSON`);
  }
  const outcome = operationOutcomeMessage(json);
  if (outcome !== undefined) throw upstream(`HTTP ${status}: ${outcome}`);
  if (status < 200 || status > 299) throw upstream(`HTTP ${status}`);
  if (!isIpsDocument(json)) {
    throw new ServerError(
      'SHL_NOT_IPS',
      'the FHIR server answered with something that is not an IPS document (a Bundle of type document whose first entry is a Composition typed LOINC 60591-5)',
    );
  }
  return text;
};
