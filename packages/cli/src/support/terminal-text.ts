/**
 * Characters that act on a terminal or on the order people read text in, rather than showing:
 * - C0 controls and DEL: ESC starts colour, cursor, title and hyperlink sequences; CR and BS overwrite what
 *   was printed; a line feed inside a name forges a line of output;
 * - C1 controls (U+0080-U+009F): U+009B is a one-character CSI on terminals that read 8-bit controls;
 * - the Unicode bidi controls (ALM, LRM, RLM, the embeddings and overrides U+202A-U+202E and the isolates
 *   U+2066-U+2069), which reorder a line as displayed ("Trojan Source", CVE-2021-42574).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

const escapeOne = (char: string): string => {
  const named = NAMED[char];
  if (named !== undefined) return named;
  const code = char.codePointAt(0) ?? 0;
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u{${code.toString(16).toUpperCase()}}`;
};

/**
 * Text that others chose (link labels, recipients in the access log, key and user names, file names,
 * server messages, anything from a decrypted document), made safe to print for people: every character
 * above is shown as an escape (`\x1b`, `\n`, `\u{202E}`) instead of acting. Everything else, right-to-left
 * scripts included, is left as it is. `--json` output needs none of this: `JSON.stringify` escapes C0.
 */
export const terminalText = (value: unknown): string => String(value).replace(UNSAFE, escapeOne);
