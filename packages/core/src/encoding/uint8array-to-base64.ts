/**
 * `Uint8Array.prototype.toBase64` for Node versions that lack it (Node 20 to 24), done by Node's own
 * `Buffer`. jose uses the method when it exists; without it, jose encodes in a JavaScript loop and
 * `btoa`, which on Node 20 took 80 % of encrypting a 1.8 MB file (decision 0012).
 *
 * Why a function the application calls, not an import with a side effect: a library must not change a
 * built-in behind its users' backs. The server, the CLI and the bench call it at their entry points; the
 * browser apps never do (browsers that lack the method have no `Buffer`, and it does nothing there).
 *
 * Only the encoder: `Uint8Array.fromBase64` must throw on malformed input, and `Buffer`'s decoder skips
 * what it does not understand, so jose keeps its own strict decoder.
 */

type ToBase64Options = { alphabet?: unknown; omitPadding?: unknown } | undefined;

interface NodeBuffer {
  toString(encoding: 'base64' | 'base64url'): string;
}
interface NodeBufferConstructor {
  from(buffer: ArrayBufferLike, byteOffset: number, length: number): NodeBuffer;
}

/** The spec's ValidateUint8Array: a typed array whose [[TypedArrayName]] is "Uint8Array" (any realm). */
const typedArrayName = Object.getOwnPropertyDescriptor(
  Object.getPrototypeOf(Uint8Array.prototype) as object,
  Symbol.toStringTag,
)?.get as (this: unknown) => string | undefined;

/**
 * Makes `Uint8Array.prototype.toBase64` (ECMAScript 2026, "Uint8Array to/from base64") available where the
 * runtime lacks it and has Node's `Buffer`. Where the method exists, or `Buffer` does not, it changes
 * nothing. The method it adds behaves as the specification says for every input: `alphabet` is
 * `"base64"` (default) or `"base64url"`, `omitPadding` is read as a boolean, and the output is the same
 * string a native implementation gives.
 *
 * @returns true when it added the method, false when it left things as they were
 * @throws never; the method it adds throws `TypeError` when `this` is not a Uint8Array, when the options
 *   are not an object, when `alphabet` is neither name, and when the array's buffer is detached
 */
export const provideUint8ArrayToBase64 = (): boolean => {
  const Buffer = (globalThis as { Buffer?: NodeBufferConstructor }).Buffer;
  if ('toBase64' in Uint8Array.prototype || Buffer === undefined) return false;
  Object.defineProperty(Uint8Array.prototype, 'toBase64', {
    configurable: true,
    enumerable: false,
    writable: true,
    value: {
      // A method, not an arrow: `this` is the array, and the name and length are the built-in's.
      // The default keeps the method's length 0, as the built-in's.
      toBase64(this: unknown, options: ToBase64Options = undefined): string {
        if (typedArrayName.call(this) !== 'Uint8Array') {
          throw new TypeError('Uint8Array.prototype.toBase64 called on something other than a Uint8Array');
        }
        if (options !== undefined && !isObject(options)) {
          throw new TypeError('the options of toBase64 must be an object');
        }
        const alphabet = options?.alphabet === undefined ? 'base64' : options.alphabet;
        if (alphabet !== 'base64' && alphabet !== 'base64url') {
          throw new TypeError('alphabet must be "base64" or "base64url"');
        }
        const omitPadding = Boolean(options?.omitPadding);
        const bytes = this as Uint8Array;
        // Over a detached buffer Buffer.from throws a TypeError, as the spec wants (not "").
        const encoded = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString(alphabet);
        // Buffer pads "base64" and never pads "base64url"; the options say which is wanted.
        if (alphabet === 'base64') return omitPadding ? encoded.replace(/=+$/, '') : encoded;
        return omitPadding ? encoded : encoded.padEnd(Math.ceil(encoded.length / 4) * 4, '=');
      },
    }.toBase64,
  });
  return true;
};

const isObject = (value: unknown): boolean =>
  (typeof value === 'object' && value !== null) || typeof value === 'function';
