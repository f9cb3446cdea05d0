import { readFile } from 'node:fs/promises';
import { detectContentType, type ShlContentType, SMART_HEALTH_CARD } from '@shlkit/core';
import { CliError, EXIT_CODES } from '../errors.js';
import type { Io } from '../io.js';
import { decodeText } from './decode-text.js';
import { resolvePath } from './paths.js';

export interface InputFile {
  path: string;
  contentType: ShlContentType;
  /**
   * The file's text as read (what gets encrypted): decoded from UTF-8, or from UTF-16 with a byte order
   * mark, and without a BOM, so that receivers always get UTF-8 JSON.
   */
  text: string;
  json: unknown;
}

/**
 * Reads a file to share and tells its SHL content type from the JSON (core's detectContentType), or from
 * the `.smart-health-card` extension. Anything else is refused with what the file should look like, and
 * bytes that are not UTF-8 (nor UTF-16 with a byte order mark) with the offset where they go wrong.
 */
export const readInputFile = async (io: Io, path: string): Promise<InputFile> => {
  const absolute = resolvePath(io, path);
  let bytes: Uint8Array;
  try {
    bytes = await readFile(absolute);
  } catch (cause) {
    const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT';
    throw new CliError(
      missing ? 'CLI_FILE_NOT_FOUND' : 'CLI_FILE_UNREADABLE',
      EXIT_CODES.LOCAL_FILE,
      missing ? `no such file: ${path}` : `cannot read ${path}: ${(cause as Error).message}`,
      {
        cause,
        hint: missing
          ? 'Check the path (it is relative to the current directory).'
          : 'Check the file permissions.',
      },
    );
  }
  const decoded = decodeText(bytes);
  if (!decoded.ok) {
    throw new CliError('CLI_INVALID_ENCODING', EXIT_CODES.FORMAT, `${path}: ${decoded.problem}`, {
      ...(decoded.offset === undefined ? {} : { details: { offset: decoded.offset } }),
      hint: 'Save the file as UTF-8 (the usual choice; JSON is UTF-8). A "ü" or "é" saved as Latin-1 or Windows-1252 is one byte that is not UTF-8: convert it, e.g. `iconv -f windows-1252 -t utf-8 FILE > FILE.utf8`.',
    });
  }
  const { text } = decoded;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new CliError(
      'CLI_INVALID_FILE',
      EXIT_CODES.FORMAT,
      `${path} is not JSON: ${(cause as Error).message}`,
      {
        cause,
        hint: 'Share a FHIR resource (.json), a SMART Health Card file (.smart-health-card) or SMART API access JSON.',
      },
    );
  }
  const contentType =
    detectContentType(json) ?? (path.endsWith('.smart-health-card') ? SMART_HEALTH_CARD : undefined);
  if (contentType === undefined) {
    throw new CliError('CLI_INVALID_FILE', EXIT_CODES.FORMAT, `cannot tell what ${path} is`, {
      hint: 'A FHIR resource has "resourceType", a SMART Health Card file "verifiableCredential", SMART API access "access_token" and "aud".',
    });
  }
  return { path, contentType, text, json };
};
