import { MAX_URL_LENGTH } from '@shlkit/core';
import type { Config } from './config.schema.js';
import { invalidSetting } from './invalid-setting.js';

/** `/shl/` plus a 43-character id: what the server appends to PUBLIC_BASE_URL to make a link's url. */
export const LINK_PATH_LENGTH = '/shl/'.length + 43;

/**
 * Checks a public base URL and returns it without a trailing slash. SHL: a link's `url` SHALL NOT exceed
 * 128 characters, so a base that makes `<base>/shl/<43-char id>` longer is refused at start.
 */
export const checkPublicBaseUrl = (raw: string, variable = 'PUBLIC_BASE_URL'): string => {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw invalidSetting(variable, `is not an absolute URL: "${raw}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw invalidSetting(variable, `must be http(s), not ${parsed.protocol}`);
  }
  if (parsed.search !== '' || parsed.hash !== '') {
    throw invalidSetting(variable, 'must not carry a query or fragment');
  }
  const base = raw.replace(/\/+$/, '');
  const urlLength = base.length + LINK_PATH_LENGTH;
  if (urlLength > MAX_URL_LENGTH) {
    throw invalidSetting(
      variable,
      `makes link URLs ${urlLength} characters long; SHL allows at most ${MAX_URL_LENGTH}, so the base may have at most ${MAX_URL_LENGTH - LINK_PATH_LENGTH}`,
    );
  }
  return base;
};

/** The config with its public base URL known (after listening when PORT was 0). */
export const withPublicBaseUrl = (config: Config, publicBaseUrl: string): Config =>
  Object.freeze({ ...config, publicBaseUrl: checkPublicBaseUrl(publicBaseUrl) });
