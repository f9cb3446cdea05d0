import { readdirSync, readFileSync } from 'node:fs';

/** `../shared/samples/` beside the repository, where the project's real sample documents live. */
export const samplesDir = new URL('../../../../shared/samples/', import.meta.url);

export const readSample = (path: string): string => readFileSync(new URL(path, samplesDir), 'utf8');
export const readSampleJson = <T = unknown>(path: string): T => JSON.parse(readSample(path)) as T;

export const ipsSampleNames = (): string[] =>
  readdirSync(new URL('ips/', samplesDir))
    .filter((name) => name.endsWith('.json'))
    .sort();
