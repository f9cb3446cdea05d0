import { BENCH_PASSCODE, type BenchLinks } from '../bench-links.js';
import type { BenchContext } from './bench-context.js';
import type { ServingRequest } from './measure-serving.js';

const JSON_HEADERS = { 'content-type': 'application/json' };

/** Measure 1: manifest POST for a small embedded file, no passcode. */
export const manifestRequest = (context: BenchContext, links: BenchLinks): ServingRequest => ({
  measure: 'manifest',
  linkId: links.manifest.id,
  url: links.manifest.url,
  method: 'POST',
  body: JSON.stringify({ recipient: 'bench' }),
  headers: JSON_HEADERS,
  amount: context.settings.requests,
});

/**
 * Measure 2: manifest POST with the right passcode every time: one scrypt compare per request (N=2^14,
 * r=8, p=1, passcodes/scrypt-hash.ts) while holding one of the link's 1,000 attempts (hold-attempt.ts).
 */
export const passcodeRequest = (context: BenchContext, links: BenchLinks): ServingRequest => ({
  measure: 'manifest-passcode',
  linkId: links.passcode.id,
  url: links.passcode.url,
  method: 'POST',
  body: JSON.stringify({ recipient: 'bench', passcode: BENCH_PASSCODE }),
  headers: JSON_HEADERS,
  amount: context.settings.passcodeRequests,
});

/**
 * Not one of the measures, added beside them: a manifest POST that embeds the ~100 KB IPS, as a
 * receiver that sends no `embeddedLengthMax` gets it. The link is the one of the `location` measure.
 */
export const embeddedIpsRequest = (context: BenchContext, links: BenchLinks): ServingRequest => ({
  ...manifestRequest(context, links),
  measure: 'manifest-embedded-ips',
  linkId: links.location.id,
  url: links.location.url,
});

/** Measure 3: direct-file GET (U link) of the ~100 KB IPS. */
export const directFileRequest = (context: BenchContext, links: BenchLinks): ServingRequest => ({
  measure: 'direct-file',
  linkId: links.direct.id,
  url: `${links.direct.url}?recipient=bench`,
  method: 'GET',
  headers: {},
  amount: context.settings.requests,
});

/**
 * Measure 4: `location` GET of the ~100 KB IPS. One manifest POST with `embeddedLengthMax: 0` (its own
 * `ok` row, in the ledger) gives the URL with a ticket, valid for an hour: every request fetches it.
 *
 * @throws Error when the manifest holds no `location`.
 */
export const locationFileRequest = async (
  context: BenchContext,
  links: BenchLinks,
): Promise<ServingRequest> => {
  const response = await fetch(links.location.url, {
    method: 'POST',
    headers: JSON_HEADERS,
    body: JSON.stringify({ recipient: 'bench', embeddedLengthMax: 0 }),
  });
  const manifest = (await response.json()) as { files?: { location?: string }[] };
  const location = manifest.files?.[0]?.location;
  if (response.status !== 200 || location === undefined)
    throw new Error(`the manifest gave no location URL (${response.status}): ${JSON.stringify(manifest)}`);
  context.ledger.add(links.location.id, 1);
  return {
    measure: 'location-file',
    linkId: links.location.id,
    url: location,
    method: 'GET',
    headers: {},
    amount: context.settings.requests,
  };
};
