import { readFileSync } from 'node:fs';

/** `../shared/samples/` beside the repository, where the project's real sample documents live. */
export const samplesDir = new URL('../../../../shared/samples/', import.meta.url);

export const readSample = (path: string): string => readFileSync(new URL(path, samplesDir), 'utf8');
export const readSampleJson = <T = unknown>(path: string): T => JSON.parse(readSample(path)) as T;

/** The key of the SHL spec's encryption example (`shl-vectors/spec-example-encrypted-shc.jwe.txt`). */
export const SPEC_EXAMPLE_KEY = 'rxTgYlOaKJPFtcEd0qcceN8wEU4p94SqAwIWQe6uX7Q';
