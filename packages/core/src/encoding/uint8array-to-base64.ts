import { checkOptionsObject } from './options-object.js';

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

/**
 * The built-in accessors and one method of %TypedArray%.prototype, taken once: the array is read through
 * its internal slots, as the specification reads it, never through properties an instance or a subclass
 * could override.
 */
const typedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype) as object;
const builtin = (name: string | symbol): ((this: unknown) => unknown) =>
  Object.getOwnPropertyDescriptor(typedArrayPrototype, name)?.get as (this: unknown) => unknown;
/** The spec's ValidateUint8Array: [[TypedArrayName]] is "Uint8Array" (any realm, Buffer included). */
const typedArrayName = builtin(Symbol.toStringTag);
const bufferOf = builtin('buffer');
const byteOffsetOf = builtin('byteOffset');
const lengthOf = builtin('length');
/** Throws TypeError for a view whose buffer is detached or has shrunk below it (ValidateTypedArray). */
const entries = (typedArrayPrototype as { entries: (this: unknown) => unknown }).entries;

/**
 * Makes `Uint8Array.prototype.toBase64` (ECMAScript 2026, "Uint8Array to/from base64") available where the
 * runtime lacks it and has Node's `Buffer`. Where the method exists, or `Buffer` does not, it changes
 * nothing. The method it adds follows the specification's steps: `alphabet` is `"base64"` (default) or
 * `"base64url"`, `omitPadding` is read as a boolean, the array is read through its internal slots, and
 * the output is the string a native implementation gives.
 *
 * @returns true when it added the method, false when it left things as they were
 * @throws never; the method it adds throws `TypeError` when `this` is not a Uint8Array, when the options
 *   are not an object, when `alphabet` is neither name, and when the array's buffer is detached or has
 *   shrunk below it; `RangeError` when the text would exceed the longest string
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
        checkOptionsObject(options, 'toBase64');
        // Each option read once, in the specification's order: a getter sees what a native method does.
        const given = options?.alphabet;
        const alphabet = given === undefined ? 'base64' : given;
        if (alphabet !== 'base64' && alphabet !== 'base64url') {
          throw new TypeError('alphabet must be "base64" or "base64url"');
        }
        const omitPadding = Boolean(options?.omitPadding);
        // GetUint8ArrayBytes: a detached or out-of-bounds view throws rather than reading as "".
        entries.call(this);
        const view = Buffer.from(
          bufferOf.call(this) as ArrayBufferLike,
          byteOffsetOf.call(this) as number,
          lengthOf.call(this) as number,
        );
        let encoded: string;
        try {
          encoded = view.toString(alphabet);
        } catch (error) {
          // Past the longest string the engine holds, the built-in throws RangeError; Node's own error
          // is a plain Error.
          if ((error as { code?: unknown } | null)?.code !== 'ERR_STRING_TOO_LONG') throw error;
          throw new RangeError('the base64 text would be longer than a string can be', { cause: error });
        }
        // Buffer pads "base64" and never pads "base64url"; the options say which is wanted.
        if (alphabet === 'base64') return omitPadding ? encoded.replace(/=+$/, '') : encoded;
        return omitPadding ? encoded : encoded.padEnd(Math.ceil(encoded.length / 4) * 4, '=');
      },
    }.toBase64,
  });
  return true;
};
