/**
 * The base64 methods' GetOptionsObject step (ECMAScript 2026, "Uint8Array to/from base64"): `undefined`
 * stands for no options; anything else must be an object (a function counts), or the method throws.
 *
 * @throws TypeError naming `method` when `options` is neither undefined nor an object
 */
export const checkOptionsObject = (options: unknown, method: string): void => {
  if (options === undefined) return;
  if ((typeof options === 'object' && options !== null) || typeof options === 'function') return;
  throw new TypeError(`the options of ${method} must be an object`);
};
