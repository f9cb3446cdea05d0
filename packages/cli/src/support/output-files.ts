import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { baseContentType, FHIR_JSON, SMART_API_ACCESS, SMART_HEALTH_CARD } from '@shlkit/core';
import { CliError, EXIT_CODES } from '../errors.js';

export interface FileToSave {
  contentType: string;
  json: unknown;
  text: string;
}

/**
 * A file name a person recognises: position, then what the file is, then the usual extension.
 * `1-Bundle-ips-example.json`, `2.smart-health-card`, `3-smart-api-access.json`. Names come from untrusted
 * documents, so only letters, digits, dot, dash and underscore survive.
 */
export const fileNameFor = (file: FileToSave, index: number): string => {
  const position = String(index + 1);
  const base = baseContentType(file.contentType);
  if (base === SMART_HEALTH_CARD) return `${position}.smart-health-card`;
  if (base === SMART_API_ACCESS) return `${position}-smart-api-access.json`;
  if (base === FHIR_JSON && typeof file.json === 'object' && file.json !== null) {
    const resource = file.json as { resourceType?: unknown; id?: unknown };
    const parts = [resource.resourceType, resource.id].filter((part) => typeof part === 'string');
    const name = safe(parts.join('-'));
    return name === '' ? `${position}.json` : `${position}-${name}.json`;
  }
  return `${position}.json`;
};

const safe = (text: string): string =>
  text
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._]+/, '')
    .slice(0, 80);

/** Writes every file into `dir` (created if needed), exactly as decrypted. Returns the paths. */
export const saveFiles = async (dir: string, files: readonly FileToSave[]): Promise<string[]> => {
  try {
    await mkdir(dir, { recursive: true });
    const paths: string[] = [];
    for (const [index, file] of files.entries()) {
      const path = join(dir, fileNameFor(file, index));
      await writeFile(path, file.text);
      paths.push(path);
    }
    return paths;
  } catch (cause) {
    throw new CliError(
      'CLI_FILE_UNWRITABLE',
      EXIT_CODES.LOCAL_FILE,
      `cannot write into ${dir}: ${(cause as Error).message}`,
      {
        cause,
        hint: 'Choose an --out directory you may write to.',
      },
    );
  }
};
