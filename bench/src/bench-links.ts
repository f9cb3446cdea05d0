import { createManagementClient, type CreateLinkBody } from '@shlkit/api';
import { mediumIps, smallResource } from './fixtures.js';

/** A link the bench made through the management API: its id and its SHL URL (`<base>/shl/<id>`). */
export interface BenchLink {
  id: string;
  url: string;
}

/** The links every serving measure uses, made once per database before seeding. */
export interface BenchLinks {
  /** Small embedded file, no passcode: manifest POST. Also the template the seeded links copy. */
  manifest: BenchLink;
  /**
   * Small embedded file, passcode `BENCH_PASSCODE`, `passcodeAttempts` 1,000: manifest POST with it. Each
   * guess holds one remaining attempt while it is compared (passcodes/hold-attempt.ts); with the default
   * 5, 27 of 32 connections wait for a hold, and one waiting past 15 s gets a 429 (seen on the embedded
   * database here). 1,000 lets every connection hold one at once, so the measure is the compare's cost.
   */
  passcode: BenchLink;
  /** Flag U, the ~100 KB IPS: direct-file GET. */
  direct: BenchLink;
  /** The ~100 KB IPS, no U: manifest POST with `embeddedLengthMax: 0`, then its `location` GET. */
  location: BenchLink;
  /** Deleted at once: the uniform 404's inactive side. */
  deleted: BenchLink;
}

/** The passcode of the passcode measure; every request gives it right. */
export const BENCH_PASSCODE = 'bench-passcode-1234';

/**
 * Makes the bench's links on the server at `baseUrl` with the management API's typed client. Files are
 * sent as JSON text (kept byte for byte), the server encrypts them.
 */
export const createBenchLinks = async (baseUrl: string, apiKey: string): Promise<BenchLinks> => {
  const client = createManagementClient({ baseUrl, auth: { bearer: apiKey } });
  const make = async (body: CreateLinkBody): Promise<BenchLink> => {
    const created = await client.createLink(body);
    return { id: created.id, url: created.payload.url };
  };
  const deleted = await make({ content: smallResource(), label: 'bench deleted' });
  await client.deleteLink(deleted.id);
  return {
    manifest: await make({ content: smallResource(), label: 'bench manifest' }),
    passcode: await make({
      content: smallResource(),
      label: 'bench passcode',
      passcode: BENCH_PASSCODE,
      passcodeAttempts: 1000,
    }),
    direct: await make({ content: mediumIps(), label: 'bench direct', direct: true }),
    location: await make({ content: mediumIps(), label: 'bench location' }),
    deleted,
  };
};
