import { readFileSync } from 'node:fs';

// From bench/dist/fixtures.js (or bench/src/fixtures.ts) up to the repository's fixtures/.
const ips = (name: string): string =>
  readFileSync(new URL(`../../fixtures/ips/${name}`, import.meta.url), 'utf8');

/** The small embedded file of the manifest measures: a one-line Patient (about 80 bytes of JSON). */
export const smallResource = (): string =>
  JSON.stringify({ resourceType: 'Patient', id: 'bench', name: [{ family: 'Bench' }] });

/** The ~100 KB file of the direct-file and `location` measures: full_ips.json (99,445 bytes, an IPS Bundle). */
export const mediumIps = (): string => ips('full_ips.json');

/** The 1.8 MB IPS of the creation measure: CA_VeroSource_colorful_balloon.json (1,805,587 bytes). */
export const largeIps = (): string => ips('CA_VeroSource_colorful_balloon.json');
