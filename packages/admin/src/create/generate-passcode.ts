// No 0/O, 1/I/L: a passcode is read aloud or copied by hand.
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const GROUPS = 4;
const GROUP_LENGTH = 4;

/**
 * A strong passcode to offer: 16 characters of a 31-letter alphabet (about 79 bits) in groups of four,
 * `7KQ2-MX9P-...`. Rejection sampling keeps every letter equally likely.
 */
export const generatePasscode = (
  getRandomValues: (array: Uint8Array) => Uint8Array = (array) => crypto.getRandomValues(array),
): string => {
  const chars: string[] = [];
  const limit = 256 - (256 % ALPHABET.length);
  while (chars.length < GROUPS * GROUP_LENGTH) {
    for (const byte of getRandomValues(new Uint8Array(32))) {
      if (byte < limit && chars.length < GROUPS * GROUP_LENGTH)
        chars.push(ALPHABET[byte % ALPHABET.length] ?? '');
    }
  }
  const groups: string[] = [];
  for (let i = 0; i < chars.length; i += GROUP_LENGTH) groups.push(chars.slice(i, i + GROUP_LENGTH).join(''));
  return groups.join('-');
};
