import fc from 'fast-check';
import { base64url as joseBase64url } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from '../../../test-support/chromium.js';
import { propertyRuns } from '../../../test-support/property-runs.js';
import { provideUint8ArrayFromBase64 } from '../src/index.js';

type Alphabet = 'base64' | 'base64url';
type Handling = 'loose' | 'strict' | 'stop-before-partial';
type FromBase64 = (text: unknown, options?: unknown) => Uint8Array;

const DIGITS: Record<Alphabet, string> = {
  base64: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/',
  base64url: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
};
const WHITE = '\t\n\f\r ';

/**
 * The specification's FromBase64 (proposal-arraybuffer-base64, ECMAScript 2026), written out as its
 * steps read, one character at a time, with no Buffer and no regular expression: what the method must
 * agree with. Returns the bytes, or 'SyntaxError'.
 */
const reference = (text: string, alphabet: Alphabet, handling: Handling): number[] | 'SyntaxError' => {
  const bytes: number[] = [];
  let chunk: number[] = [];
  const skipWhite = (from: number) => {
    let index = from;
    while (index < text.length && WHITE.includes(text.charAt(index))) index += 1;
    return index;
  };
  const decodeChunk = (values: number[], throwOnExtraBits: boolean): boolean => {
    const length = values.length;
    const padded = [...values, 0, 0, 0].slice(0, 4);
    const n = (padded[0]! << 18) | (padded[1]! << 12) | (padded[2]! << 6) | padded[3]!;
    const out = [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
    if (length === 2) {
      if (throwOnExtraBits && out[1] !== 0) return false;
      bytes.push(out[0]!);
    } else if (length === 3) {
      if (throwOnExtraBits && out[2] !== 0) return false;
      bytes.push(out[0]!, out[1]!);
    } else {
      bytes.push(...out);
    }
    return true;
  };
  let index = 0;
  let keptUpTo = 0;
  for (;;) {
    index = skipWhite(index);
    if (index === text.length) {
      if (chunk.length > 0) {
        if (handling === 'stop-before-partial') return bytes.slice(0, keptUpTo);
        if (handling === 'loose') {
          if (chunk.length === 1) return 'SyntaxError';
          decodeChunk(chunk, false);
        } else {
          return 'SyntaxError';
        }
      }
      return bytes;
    }
    const char = text.charAt(index);
    index += 1;
    if (char === '=') {
      if (chunk.length < 2) return 'SyntaxError';
      index = skipWhite(index);
      if (chunk.length === 2) {
        if (index === text.length) {
          if (handling === 'stop-before-partial') return bytes.slice(0, keptUpTo);
          return 'SyntaxError';
        }
        if (text.charAt(index) === '=') index = skipWhite(index + 1);
      }
      if (index < text.length) return 'SyntaxError';
      if (!decodeChunk(chunk, handling === 'strict')) return 'SyntaxError';
      return bytes;
    }
    const value = DIGITS[alphabet].indexOf(char);
    if (value === -1) return 'SyntaxError';
    chunk.push(value);
    if (chunk.length === 4) {
      decodeChunk(chunk, false);
      chunk = [];
      keptUpTo = bytes.length;
    }
  }
};

const fromBase64 = (text: unknown, options?: unknown): Uint8Array =>
  (Uint8Array as unknown as { fromBase64: FromBase64 }).fromBase64(text, options);

/** The method's answer in the reference's terms. */
const outcome = (text: string, alphabet: Alphabet, handling: Handling): number[] | string => {
  try {
    return [...fromBase64(text, { alphabet, lastChunkHandling: handling })];
  } catch (error) {
    return (error as Error).name;
  }
};

describe('provideUint8ArrayFromBase64 (Uint8Array.fromBase64 where Node lacks it)', () => {
  // Whatever this Node has, the method under test here is ours: a native one is set aside and put back.
  const native = Object.getOwnPropertyDescriptor(Uint8Array, 'fromBase64');
  beforeAll(() => {
    if (native !== undefined) delete (Uint8Array as { fromBase64?: unknown }).fromBase64;
  });
  afterAll(() => {
    delete (Uint8Array as { fromBase64?: unknown }).fromBase64;
    if (native !== undefined) Object.defineProperty(Uint8Array, 'fromBase64', native);
  });

  // Each test has the method, whichever of them runs alone.
  beforeEach(() => {
    provideUint8ArrayFromBase64();
  });

  it('adds the method once, and leaves a runtime that has it alone', () => {
    delete (Uint8Array as { fromBase64?: unknown }).fromBase64;
    expect(provideUint8ArrayFromBase64()).toBe(true);
    expect(provideUint8ArrayFromBase64()).toBe(false);
    const added = Object.getOwnPropertyDescriptor(Uint8Array, 'fromBase64');
    expect(added).toMatchObject({ enumerable: false, writable: true, configurable: true });
    expect((added?.value as FromBase64).name).toBe('fromBase64');
    expect((added?.value as FromBase64).length).toBe(1);
  });

  it('decodes what jose encodes, to the same bytes, as a plain Uint8Array of its own', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const decoded = fromBase64(joseBase64url.encode(bytes), { alphabet: 'base64url' });
        expect(decoded).toEqual(bytes);
        expect(Object.getPrototypeOf(decoded)).toBe(Uint8Array.prototype);
        // Its own memory: never a view on Node's shared pool of small buffers.
        expect(decoded.byteOffset).toBe(0);
        expect(decoded.buffer.byteLength).toBe(bytes.length);
      }),
      propertyRuns(300),
    );
  });

  it('agrees with the specification’s steps on any text: padding, white space, stray characters', () => {
    const character = fc.constantFrom(...`${DIGITS.base64}-_=!. ${WHITE}`.split(''));
    fc.assert(
      fc.property(
        fc.array(character, { maxLength: 24 }).map((chars) => chars.join('')),
        fc.constantFrom<Alphabet>('base64', 'base64url'),
        fc.constantFrom<Handling>('loose', 'strict', 'stop-before-partial'),
        (text, alphabet, handling) => {
          expect(outcome(text, alphabet, handling)).toEqual(reference(text, alphabet, handling));
        },
      ),
      propertyRuns(3000),
    );
  });

  it('agrees on well-formed text too, which random characters seldom make', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 40 }),
        fc.nat(3),
        fc.constantFrom<Alphabet>('base64', 'base64url'),
        fc.constantFrom<Handling>('loose', 'strict', 'stop-before-partial'),
        fc.boolean(),
        fc.nat(2),
        (bytes, drop, alphabet, handling, flipLastBit, extraPadding) => {
          let text = Buffer.from(bytes).toString(alphabet === 'base64' ? 'base64' : 'base64url');
          if (alphabet === 'base64url') text = text.padEnd(Math.ceil(text.length / 4) * 4, '=');
          text = text.slice(0, Math.max(0, text.length - drop)) + '='.repeat(extraPadding);
          // Setting the last digit's lowest bit: unused bits set in a short last group, or a new byte value.
          const last = text.replace(/=+$/, '').length - 1;
          if (flipLastBit && last >= 0) {
            const value = DIGITS[alphabet].indexOf(text.charAt(last)) | 1;
            text = text.slice(0, last) + DIGITS[alphabet].charAt(value) + text.slice(last + 1);
          }
          expect(outcome(text, alphabet, handling)).toEqual(reference(text, alphabet, handling));
        },
      ),
      propertyRuns(2000),
    );
  });

  it('answers the cases the specification spells out', () => {
    const loose = (text: string) => outcome(text, 'base64', 'loose');
    expect(loose('')).toEqual([]);
    expect(loose('Zm9vYmFy')).toEqual([...Buffer.from('foobar')]);
    expect(loose(' Zm9v\nYmE=\t')).toEqual([...Buffer.from('fooba')]);
    expect(loose('Zm9vYg')).toEqual([...Buffer.from('foob')]);
    expect(loose('Zm9vYg = =')).toEqual([...Buffer.from('foob')]);
    expect(loose('Zm9vY')).toBe('SyntaxError'); // a last group of one character
    expect(loose('Zm9vYg=')).toBe('SyntaxError'); // incomplete padding
    expect(loose('Zm9vYg==Zm9v')).toBe('SyntaxError'); // text after the padding
    expect(loose('Zm9v=')).toBe('SyntaxError'); // padding after a whole group
    expect(loose('Zm9vYmE==')).toBe('SyntaxError'); // two padding characters after three digits
    expect(loose('Zm9vYg===')).toBe('SyntaxError'); // three padding characters
    expect(loose('Zm9-')).toBe('SyntaxError'); // the other alphabet
    expect(outcome('Zm9-', 'base64url', 'loose')).toEqual([0x66, 0x6f, 0x7e]);
    expect(outcome('Zm9vYh==', 'base64', 'loose')).toEqual([...Buffer.from('foob')]);
    expect(outcome('Zm9vYh==', 'base64', 'strict')).toBe('SyntaxError'); // unused bits set
    expect(outcome('Zm9vYg', 'base64', 'strict')).toBe('SyntaxError'); // padding required
    expect(outcome('Zm9vYg', 'base64', 'stop-before-partial')).toEqual([...Buffer.from('foo')]);
    expect(outcome('Zm9vYg=', 'base64', 'stop-before-partial')).toEqual([...Buffer.from('foo')]);
    expect(outcome('Zm9vY', 'base64', 'stop-before-partial')).toEqual([...Buffer.from('foo')]);
  });

  it('throws TypeError for a text that is not a string and for options it does not know', () => {
    expect(() => fromBase64(new String('Zm9v'))).toThrow(TypeError);
    expect(() => fromBase64(undefined)).toThrow(TypeError);
    expect(() => fromBase64('Zm9v', 'base64url')).toThrow(TypeError);
    expect(() => fromBase64('Zm9v', { alphabet: 'hex' })).toThrow(TypeError);
    expect(() => fromBase64('Zm9v', { lastChunkHandling: 'lenient' })).toThrow(TypeError);
    expect(() => fromBase64('Zm9v', null)).toThrow(TypeError);
    expect(fromBase64('Zm9v', () => {})).toEqual(new Uint8Array([0x66, 0x6f, 0x6f]));
  });

  it('reads each option once, alphabet first, as the specification does', () => {
    const reads: string[] = [];
    const options = {
      get alphabet() {
        reads.push('alphabet');
        return reads.length === 1 ? 'base64url' : 'base64';
      },
      get lastChunkHandling() {
        reads.push('lastChunkHandling');
        return 'strict';
      },
    };
    expect(fromBase64('-_8=', options)).toEqual(new Uint8Array([0xfb, 0xff]));
    expect(reads).toEqual(['alphabet', 'lastChunkHandling']);
  });

  it.runIf(chromiumAvailable('the fromBase64 comparison with Chromium'))(
    'agrees with Chromium’s native Uint8Array.fromBase64 on 20,000 texts, answer for answer',
    async () => {
      // Texts from a fixed sequence, so that a difference shows the same text again on the next run. Most
      // characters are digits, so that many texts decode; the rest are padding, white space, stray
      // characters, and two spaces the specification does not skip (vertical tab, no-break space).
      const characters = `${DIGITS.base64}-_=!. ${WHITE}\v\u00a0`;
      let seed = 0x5eed;
      const next = (below: number) => {
        seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
        return (seed >>> 8) % below;
      };
      const cases = Array.from({ length: 20_000 }, (_, index) => {
        let text = '';
        for (let length = next(14); length > 0; length -= 1) {
          text += characters.charAt(next(next(10) < 7 ? 64 : characters.length));
        }
        const alphabet: Alphabet = index % 2 === 0 ? 'base64' : 'base64url';
        const handling: Handling = (['loose', 'strict', 'stop-before-partial'] as const)[index % 3]!;
        return { text, alphabet, handling };
      });
      const browser = await launchChromium();
      try {
        const page = await browser.newPage();
        const native = await page.evaluate((all) => {
          const decode = (Uint8Array as unknown as { fromBase64?: FromBase64 }).fromBase64;
          if (decode === undefined) throw new Error('this Chromium has no Uint8Array.fromBase64');
          return all.map(({ text, alphabet, handling }) => {
            try {
              return [...decode(text, { alphabet, lastChunkHandling: handling })];
            } catch (error) {
              return (error as Error).name;
            }
          });
        }, cases);
        const ours = cases.map(({ text, alphabet, handling }) => outcome(text, alphabet, handling));
        const differences = cases.filter(
          (_, index) => JSON.stringify(ours[index]) !== JSON.stringify(native[index]),
        );
        expect(differences).toEqual([]);
        // Both outcomes were common: the texts tested decoding and refusing alike.
        expect(ours.filter((answer) => answer === 'SyntaxError').length).toBeGreaterThan(5_000);
        expect(ours.filter((answer) => Array.isArray(answer) && answer.length > 0).length).toBeGreaterThan(
          5_000,
        );
      } finally {
        await browser.close();
      }
    },
    60_000,
  );

  it('lets jose decrypt with it, and a tampered tag still fails to decrypt', async () => {
    const { encryptFile, decryptFile, generateShlKey } = await import('../src/index.js');
    const key = generateShlKey();
    const content = JSON.stringify({ resourceType: 'Bundle', note: 'x'.repeat(100_000) });
    const jwe = await encryptFile(content, key, { contentType: 'application/fhir+json', compress: false });
    expect((await decryptFile(jwe, key)).text()).toBe(content);
    // A tampered tag still fails: decoding changed nothing about what jose checks.
    const parts = jwe.split('.');
    const tag = parts[4] ?? '';
    parts[4] = (tag.startsWith('A') ? 'B' : 'A') + tag.slice(1);
    await expect(decryptFile(parts.join('.'), key)).rejects.toMatchObject({ code: 'SHL_DECRYPT_FAILED' });
  });
});
