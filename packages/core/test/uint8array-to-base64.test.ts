import fc from 'fast-check';
import { base64url as joseBase64url } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { propertyRuns } from '../../../test-support/property-runs.js';
import { provideUint8ArrayToBase64 } from '../src/index.js';

type ToBase64 = (this: Uint8Array, options?: unknown) => string;

/** RFC 4648 by way of `btoa`, written independently of Buffer: what the method must agree with. */
const reference = (bytes: Uint8Array, alphabet: 'base64' | 'base64url', omitPadding: boolean): string => {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  let encoded = btoa(binary);
  if (alphabet === 'base64url') encoded = encoded.replaceAll('+', '-').replaceAll('/', '_');
  return omitPadding ? encoded.replace(/=+$/, '') : encoded;
};

const toBase64 = (bytes: Uint8Array, options?: unknown): string =>
  (Uint8Array.prototype as unknown as { toBase64: ToBase64 }).toBase64.call(bytes, options);

describe('provideUint8ArrayToBase64 (Uint8Array.prototype.toBase64 where Node lacks it)', () => {
  // Whatever this Node has, the method under test here is ours: a native one is set aside and put back.
  const native = Object.getOwnPropertyDescriptor(Uint8Array.prototype, 'toBase64');
  beforeAll(() => {
    if (native !== undefined) delete (Uint8Array.prototype as { toBase64?: unknown }).toBase64;
  });
  afterAll(() => {
    delete (Uint8Array.prototype as { toBase64?: unknown }).toBase64;
    if (native !== undefined) Object.defineProperty(Uint8Array.prototype, 'toBase64', native);
  });

  // Each test has the method, whichever of them runs alone.
  beforeEach(() => {
    provideUint8ArrayToBase64();
  });

  it('adds the method once, and leaves a runtime that has it alone', () => {
    delete (Uint8Array.prototype as { toBase64?: unknown }).toBase64;
    expect(provideUint8ArrayToBase64()).toBe(true);
    expect(provideUint8ArrayToBase64()).toBe(false);
    const added = Object.getOwnPropertyDescriptor(Uint8Array.prototype, 'toBase64');
    expect(added).toMatchObject({ enumerable: false, writable: true, configurable: true });
    expect((added?.value as ToBase64).name).toBe('toBase64');
    expect((added?.value as ToBase64).length).toBe(0);
  });

  it('encodes any bytes as RFC 4648 does, in both alphabets, with and without padding', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.constantFrom('base64' as const, 'base64url' as const),
        fc.boolean(),
        (bytes, alphabet, omitPadding) => {
          expect(toBase64(bytes, { alphabet, omitPadding })).toBe(reference(bytes, alphabet, omitPadding));
        },
      ),
      propertyRuns(500),
    );
  });

  it('defaults to "base64" with padding, and reads omitPadding as a boolean', () => {
    const bytes = new Uint8Array([0xfb, 0xff]);
    expect(toBase64(bytes)).toBe('+/8=');
    expect(toBase64(bytes, {})).toBe('+/8=');
    expect(toBase64(bytes, { alphabet: 'base64url' })).toBe('-_8=');
    expect(toBase64(bytes, { omitPadding: 1 })).toBe('+/8');
    expect(toBase64(bytes, { omitPadding: '' })).toBe('+/8=');
  });

  it('encodes only the bytes of the view it is called on, not the rest of its buffer', () => {
    const whole = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(toBase64(whole.subarray(2, 5))).toBe(reference(new Uint8Array([3, 4, 5]), 'base64', false));
    expect(toBase64(Buffer.from('hello'))).toBe('aGVsbG8=');
  });

  it('reads the array itself, not properties an instance or a subclass overrides', () => {
    const bytes = new Uint8Array([104, 105, 33]);
    Object.defineProperty(bytes, 'length', { value: 1 });
    Object.defineProperty(bytes, 'byteOffset', { value: 2 });
    expect(toBase64(bytes)).toBe('aGkh');
    const orphan = Object.setPrototypeOf(new Uint8Array([104, 105, 33]), null) as Uint8Array;
    expect(toBase64(orphan)).toBe('aGkh');
  });

  it('reads each option once, as the built-in does', () => {
    let reads = 0;
    const options = {
      get alphabet() {
        reads += 1;
        return reads === 1 ? 'base64url' : 'no such alphabet';
      },
    };
    expect(toBase64(new Uint8Array([0xfb, 0xff]), options)).toBe('-_8=');
    expect(reads).toBe(1);
  });

  it('throws TypeError where the built-in does', () => {
    const bytes = new Uint8Array([1]);
    expect(() => toBase64(new Int8Array([1]) as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => toBase64([1] as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => toBase64(bytes, 'base64url')).toThrow(TypeError);
    expect(() => toBase64(bytes, null)).toThrow(TypeError);
    expect(() => toBase64(bytes, { alphabet: 'base32' })).toThrow(TypeError);
    expect(() => toBase64(bytes, { alphabet: null })).toThrow(TypeError);
    const buffer = new ArrayBuffer(4);
    const view = new Uint8Array(buffer);
    structuredClone(buffer, { transfer: [buffer] });
    expect(() => toBase64(view)).toThrow(TypeError);
    // A fixed-length view over a resizable buffer that has since shrunk below it: out of bounds.
    // ES2024's resizable ArrayBuffer (in Node 20), which this project's TypeScript lib does not describe.
    const Resizable = ArrayBuffer as unknown as new (
      length: number,
      options: { maxByteLength: number },
    ) => ArrayBuffer & { resize(length: number): void };
    const resizable = new Resizable(8, { maxByteLength: 16 });
    const fixed = new Uint8Array(resizable, 0, 8);
    resizable.resize(4);
    expect(() => toBase64(fixed)).toThrow(TypeError);
    expect(toBase64(new Uint8Array(0))).toBe('');
  });

  it("gives jose's encoder the same output as jose's own fallback", () => {
    const bytes = new Uint8Array(100_003).map((_, index) => (index * 131 + 7) % 256);
    const withMethod = joseBase64url.encode(bytes);
    delete (Uint8Array.prototype as { toBase64?: unknown }).toBase64;
    const fallback = joseBase64url.encode(bytes);
    provideUint8ArrayToBase64();
    expect(withMethod).toBe(fallback);
    expect(withMethod).toBe(reference(bytes, 'base64url', true));
  });
});
