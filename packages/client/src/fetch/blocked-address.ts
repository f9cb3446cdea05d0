/**
 * Which IP addresses a server-side receiver must not connect to (SSRF). A link's `url`, its `location`s and
 * an SHC issuer's `iss` are all chosen by whoever made the link, so a receiver running inside a network
 * would otherwise fetch internal services for them. Pure functions, no Node APIs: the same rules run in
 * browsers (on literal addresses) and in Node (also on the DNS answers).
 */

type Cidr4 = readonly [base: number, bits: number];

const v4 = (a: number, b: number, c: number, d: number): number =>
  ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;

/** Not globally reachable IPv4 space (RFC 6890 special-purpose registry, the parts that matter here). */
const BLOCKED_V4: readonly Cidr4[] = [
  [v4(0, 0, 0, 0), 8], // "this network", includes 0.0.0.0
  [v4(10, 0, 0, 0), 8], // private
  [v4(100, 64, 0, 0), 10], // carrier-grade NAT
  [v4(127, 0, 0, 0), 8], // loopback
  [v4(169, 254, 0, 0), 16], // link-local, includes cloud metadata 169.254.169.254
  [v4(172, 16, 0, 0), 12], // private
  [v4(192, 0, 0, 0), 24], // IETF protocol assignments
  [v4(192, 168, 0, 0), 16], // private
  [v4(198, 18, 0, 0), 15], // benchmarking
  [v4(224, 0, 0, 0), 4], // multicast
  [v4(240, 0, 0, 0), 4], // reserved, includes broadcast
];

const inCidr4 = (address: number, [base, bits]: Cidr4): boolean =>
  bits === 0 || address >>> (32 - bits) === base >>> (32 - bits);

/** `a.b.c.d` (canonical dotted decimal, as WHATWG URL and DNS give it) to a number; undefined otherwise. */
export const parseIpv4 = (text: string): number | undefined => {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
};

/** An IPv6 address (optionally with a trailing dotted IPv4 and a `%zone`) to its eight 16-bit groups. */
export const parseIpv6 = (text: string): number[] | undefined => {
  let rest = text.replace(/^\[|\]$/g, '').split('%')[0] ?? '';
  if (!rest.includes(':')) return undefined;
  const lastColon = rest.lastIndexOf(':');
  const last = rest.slice(lastColon + 1);
  if (last.includes('.')) {
    // `::ffff:1.2.3.4` is `::ffff:102:304`: rewrite the dotted tail as two groups, then parse as usual.
    const embedded = parseIpv4(last);
    if (embedded === undefined) return undefined;
    rest = `${rest.slice(0, lastColon + 1)}${(embedded >>> 16).toString(16)}:${(embedded & 0xffff).toString(16)}`;
  }
  const halves = rest.split('::');
  if (halves.length > 2) return undefined;
  const readGroups = (part: string | undefined): number[] | undefined => {
    if (part === undefined || part === '') return [];
    const groups: number[] = [];
    for (const group of part.split(':')) {
      if (!/^[0-9a-f]{1,4}$/i.test(group)) return undefined;
      groups.push(Number.parseInt(group, 16));
    }
    return groups;
  };
  const head = readGroups(halves[0]);
  const after = halves.length === 2 ? readGroups(halves[1]) : [];
  if (head === undefined || after === undefined) return undefined;
  const known = head.length + after.length;
  if (halves.length === 2) {
    if (known > 7) return undefined;
    return [...head, ...new Array<number>(8 - known).fill(0), ...after];
  }
  return known === 8 ? head : undefined;
};

const isBlockedIpv4 = (address: number): boolean => BLOCKED_V4.some((cidr) => inCidr4(address, cidr));

const isBlockedIpv6 = (g: readonly number[]): boolean => {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  const embeddedV4 = ((g6 << 16) | g7) >>> 0;
  const upperZero = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
  if (upperZero && g5 === 0 && g6 === 0 && (g7 === 0 || g7 === 1)) return true; // :: and ::1
  if (upperZero && g5 === 0xffff) return true; // IPv4-mapped: the host's own IPv4 stack, never a remote v6 host
  if (upperZero && g5 === 0) return true; // deprecated IPv4-compatible ::a.b.c.d
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) {
    return isBlockedIpv4(embeddedV4); // NAT64 well-known prefix reaches IPv4 space
  }
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 1) return true; // local-use NAT64 64:ff9b:1::/48 (RFC 8215)
  if (g0 === 0x2002) return isBlockedIpv4(((g1 << 16) | g2) >>> 0); // 6to4 embeds an IPv4 address
  if ((g0 & 0xfe00) === 0xfc00) return true; // unique local fc00::/7
  if ((g0 & 0xffc0) === 0xfe80) return true; // link-local fe80::/10
  if ((g0 & 0xffc0) === 0xfec0) return true; // deprecated site-local fec0::/10
  if ((g0 & 0xff00) === 0xff00) return true; // multicast
  if (g0 === 0x2001 && g1 === 0x0db8) return true; // documentation
  return false;
};

/**
 * Whether an IP address literal (v4 or v6, brackets allowed) is loopback, private or otherwise internal: an
 * address a receiver refuses unless told otherwise, so that a link cannot make a server-side receiver reach
 * its own network. Never throws. Spec: SHL STU 1 receiver duties (docs/shl-protocol.md section 6).
 *
 * @param address - an IP literal, e.g. `10.0.0.1`, `[::1]`, `::ffff:127.0.0.1`
 * @returns true for a blocked address; false for a public one and for text that is not an IP literal (a
 *   host name is judged by its DNS answers, in the fetch guard)
 */
export const isBlockedAddress = (address: string): boolean => {
  const ipv4 = parseIpv4(address);
  if (ipv4 !== undefined) return isBlockedIpv4(ipv4);
  const ipv6 = parseIpv6(address);
  if (ipv6 !== undefined) return isBlockedIpv6(ipv6);
  return false;
};

/** Whether a URL hostname is an IP literal (then no DNS answer is needed to judge it). */
export const isIpLiteral = (hostname: string): boolean =>
  parseIpv4(hostname) !== undefined || parseIpv6(hostname) !== undefined;

/**
 * Names that resolve to this machine without asking DNS (RFC 6761: `localhost` and everything below it),
 * judged by name because some resolvers answer them locally.
 */
export const isLocalhostName = (hostname: string): boolean => {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  return name === 'localhost' || name.endsWith('.localhost');
};
