import { describe, expect, it } from 'vitest';
import { isBlockedAddress } from '../src/index.js';
import { isIpLiteral, isLocalhostName, parseIpv4, parseIpv6 } from '../src/fetch/blocked-address.js';

describe('which addresses a server-side receiver refuses', () => {
  it.each([
    '127.0.0.1',
    '127.1.2.3',
    '10.0.0.1',
    '172.16.0.1',
    '172.31.255.254',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '100.127.255.255',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::',
    '::1',
    '[::1]',
    'fc00::1',
    'fd12:3456::1',
    'fe80::1%eth0',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:8.8.8.8',
    '64:ff9b::10.0.0.1',
    '64:ff9b:1::808:808',
    '2002:c0a8:0101::1',
  ])('refuses %s', (address) => {
    expect(isBlockedAddress(address)).toBe(true);
  });

  it.each([
    '8.8.8.8',
    '93.184.216.34',
    '172.32.0.1',
    '100.128.0.1',
    '11.0.0.1',
    '2606:4700:4700::1111',
    '2a00:1450:4001:81b::200e',
    '64:ff9b::808:808',
  ])('allows the public address %s', (address) => {
    expect(isBlockedAddress(address)).toBe(false);
  });
});

/** The edges of every blocked range (issue 12: off-by-one and dropped-range mutants must fail a test). */
describe('the blocked ranges at their edges', () => {
  it.each([
    ['0.255.255.255', true],
    ['1.0.0.0', false],
    ['9.255.255.255', false],
    ['10.255.255.255', true],
    ['100.63.255.255', false],
    ['100.64.0.0', true],
    ['126.255.255.255', false],
    ['127.255.255.255', true],
    ['128.0.0.0', false],
    ['169.253.255.255', false],
    ['169.254.0.0', true],
    ['169.255.0.0', false],
    ['172.15.255.255', false],
    ['172.16.0.0', true],
    ['192.0.0.8', true],
    ['192.0.1.0', false],
    ['192.167.255.255', false],
    ['192.168.255.255', true],
    ['192.169.0.0', false],
    ['198.17.255.255', false],
    ['198.18.0.0', true],
    ['198.19.255.255', true],
    ['198.20.0.0', false],
    ['223.255.255.255', false],
    ['239.255.255.255', true],
    ['240.0.0.0', true],
  ])('judges %s blocked: %s', (address, blocked) => {
    expect(isBlockedAddress(address)).toBe(blocked);
  });

  it.each([
    ['0:0:0:0:0:0:0:1', true],
    ['::2', true],
    ['::a00:1', true],
    ['::10.0.0.1', true],
    ['[::ffff:10.0.0.1]', true],
    ['::1:0:0:1', false],
    ['1::1', false],
    ['64:ff9b::7f00:1', true],
    ['64:ff9b::1:0:808:808', false],
    ['64:ff9b:1:ffff::1', true],
    ['64:ff9b:2::1', false],
    ['65:ff9b::a00:1', false],
    ['2002:a00:1::1', true],
    ['2002:808:808::1', false],
    ['fbff::1', false],
    ['fdff:ffff::1', true],
    ['fe00::1', false],
    ['fe7f::1', false],
    ['febf::1', true],
    ['fec0::1', true],
    ['feff::1', true],
    ['ff00::1', true],
    ['ff02::1', true],
    ['2001:db8::1', true],
    ['2001:db9::1', false],
    ['2001:4860:4860::8888', false],
    // Only ::/96 and ::ffff:0:0/96 carry an IPv4 address of this host; these merely contain zeros.
    ['0:1::8.8.8.8', false],
    ['0:0:1::8.8.8.8', false],
    ['0:0:0:1::8.8.8.8', false],
    ['2606:4700::ffff:808:808', false],
    // Only 64:ff9b::/96 is the well-known NAT64 prefix, and 64:ff9b:1::/48 the local-use one.
    ['64:ff9b:2::a00:1', false],
    ['64:ff9b:0:1::a00:1', false],
    ['64:ff9b::1:a00:1', false],
    ['64:ff9b::1:0:a00:1', false],
    ['65:ff9b:1::1', false],
    ['64:ff9c:1::1', false],
    ['64:1::1', false],
    ['2a00:db8::1', false],
  ])('judges the IPv6 address %s blocked: %s', (address, blocked) => {
    expect(isBlockedAddress(address)).toBe(blocked);
  });
});

describe('reading IP literals', () => {
  it('reads dotted decimal IPv4 only: four parts of one to three digits, each at most 255', () => {
    expect(parseIpv4('1.2.3.4')).toBe(0x01020304);
    expect(parseIpv4('255.255.255.255')).toBe(0xffffffff);
    for (const text of [
      '1.2.3',
      '1.2.3.4.5',
      '256.0.0.1',
      '1.2.3.1000',
      '1.2.3.a',
      '1.2.3.',
      ' 1.2.3.4',
      '1.2.3.4 ',
    ]) {
      expect(parseIpv4(text)).toBeUndefined();
    }
  });

  it('reads IPv6 in full, compressed, bracketed, zoned and dotted-tail forms', () => {
    const loopback = [0, 0, 0, 0, 0, 0, 0, 1];
    for (const text of ['0:0:0:0:0:0:0:1', '::1', '[::1]', '::1%lo', '0::1', '0:0:0:0:0:0:0.0.0.1']) {
      expect(parseIpv6(text)).toEqual(loopback);
    }
    expect(parseIpv6('::')).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(parseIpv6('1::')).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
    expect(parseIpv6('1:2:3:4:5:6:7::')).toEqual([1, 2, 3, 4, 5, 6, 7, 0]);
    expect(parseIpv6('::ffff:1.2.3.4')).toEqual([0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304]);
    expect(parseIpv6('FFFF::aBcD')).toEqual([0xffff, 0, 0, 0, 0, 0, 0, 0xabcd]);
  });

  it('refuses what is not IPv6: no colon, two "::", too many or too few groups, bad groups or tails', () => {
    for (const text of [
      '1.2.3.4',
      'example.org',
      '1::2::3',
      '1:2:3:4:5:6:7:8:9',
      '1:2:3:4:5:6:7',
      '1:2:3:4::5:6:7:8',
      '12345::1',
      'g::1',
      '1:2:3:4:5:6:7:8:',
      '::ffff:1.2.3.256',
      '::ffff:1.2.3',
      '1::g',
      ']::1',
      '::[1',
    ]) {
      expect(parseIpv6(text)).toBeUndefined();
    }
  });

  it('judges a host name or any other text as not blocked, without throwing', () => {
    for (const text of ['example.org', '1::g', 'g::1', '', ':']) expect(isBlockedAddress(text)).toBe(false);
  });

  it('takes an IP literal as one, and a host name as none', () => {
    for (const text of ['1.2.3.4', '[::1]', '::1']) expect(isIpLiteral(text)).toBe(true);
    for (const text of ['example.org', '1.2.3', 'localhost']) expect(isIpLiteral(text)).toBe(false);
  });

  it('takes localhost and every name below it as this machine, in any case and with a trailing dot', () => {
    for (const name of ['localhost', 'LOCALHOST.', 'a.localhost', 'x.y.Localhost']) {
      expect(isLocalhostName(name)).toBe(true);
    }
    for (const name of ['localhost.example.org', 'mylocalhost', 'localhostx', 'example.org']) {
      expect(isLocalhostName(name)).toBe(false);
    }
  });
});
