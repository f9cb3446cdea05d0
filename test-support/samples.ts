// The real, public sample documents in `fixtures/` (its README gives each file's source and licence).
// Every package's tests find them through this one module.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const samplesDir = new URL('../fixtures/', import.meta.url);

/** A sample's path on disk, for code that takes file names (the CLI, child processes). */
export const samplePath = (path: string): string => join(fileURLToPath(samplesDir), path);

export const readSample = (path: string): string => readFileSync(new URL(path, samplesDir), 'utf8');
export const readSampleJson = <T = unknown>(path: string): T => JSON.parse(readSample(path)) as T;

/** The IPS documents in `ips/`, by file name, sorted. */
export const ipsSampleNames = (): string[] =>
  readdirSync(new URL('ips/', samplesDir))
    .filter((name) => name.endsWith('.json'))
    .sort();

/** The key of the SHL spec's encryption example (`shl-vectors/spec-example-encrypted-shc.jwe.txt`). */
export const SPEC_EXAMPLE_KEY = 'rxTgYlOaKJPFtcEd0qcceN8wEU4p94SqAwIWQe6uX7Q';
