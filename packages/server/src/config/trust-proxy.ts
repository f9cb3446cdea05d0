import ipaddr from 'ipaddr.js';
import { invalidSetting } from './invalid-setting.js';

/** Fastify's `trustProxy` option, as TRUST_PROXY's text gives it. */
export type TrustProxy = boolean | string[];

/**
 * Reads TRUST_PROXY: `false` (the TCP peer is the client), `true` (the left-most `X-Forwarded-For` address:
 * only safe when every request passes a proxy you run), or a comma-separated list of proxy addresses and
 * CIDR ranges (the peer and each `X-Forwarded-For` hop in it is skipped, right to left; the first address
 * not in it is the client). No hop count: Fastify 5 trusts no hop for a number, since a count cannot tell
 * whether the peer is a proxy at all.
 * Fastify (through `proxy-addr`) then finds `request.ip`; this only checks and shapes the text, so that a
 * typo stops the start instead of silently trusting nobody or everybody.
 *
 * @throws ServerError `SHL_CONFIG_INVALID` naming TRUST_PROXY when an entry is neither an address nor a range.
 */
export const parseTrustProxy = (text: string): TrustProxy => {
  const value = text.trim().toLowerCase();
  if (value === 'false' || value === '') return false;
  if (value === 'true') return true;
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  for (const entry of entries) {
    const valid = entry.includes('/') ? isValidRange(entry) : isAddress(entry);
    if (!valid) {
      throw invalidSetting(
        'TRUST_PROXY',
        `must be false, true or a list of addresses and CIDR ranges; "${entry}" is neither an address nor a range`,
      );
    }
  }
  return entries;
};

/** Dotted-quad IPv4 or IPv6 only: `ipaddr.isValid` also takes `2` or `0x7f.1` as IPv4. */
const isAddress = (text: string): boolean =>
  ipaddr.IPv4.isValidFourPartDecimal(text) || (text.includes(':') && ipaddr.IPv6.isValid(text));

const isValidRange = (entry: string): boolean => {
  if (!isAddress(entry.slice(0, entry.indexOf('/')))) return false;
  try {
    ipaddr.parseCIDR(entry);
    return true;
  } catch {
    // Not a range: the caller names the entry.
    return false;
  }
};
