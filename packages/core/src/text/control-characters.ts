/**
 * Control characters (C0, DEL, C1: `\p{Cc}`) and lone UTF-16 surrogates (`\p{Cs}`): what no name, label
 * or passcode may hold. Control characters cannot be shown or typed reliably and forge line breaks in
 * logs; U+0000 cannot even be stored in a PostgreSQL text column. A lone surrogate is not text at all:
 * every UTF-8 encoder turns it into U+FFFD, so two different strings would compare equal once hashed.
 */
const CONTROL_OR_LONE_SURROGATE = /[\p{Cc}\p{Cs}]/u;
const EVERY_CONTROL_OR_LONE_SURROGATE = /[\p{Cc}\p{Cs}]/gu;

/** True when `text` holds a control character or a lone UTF-16 surrogate. Never throws. */
export const hasControlCharacters = (text: string): boolean => CONTROL_OR_LONE_SURROGATE.test(text);

/**
 * `text` with each control character and lone UTF-16 surrogate replaced by U+FFFD, for showing text as
 * received (an audit entry of what someone typed) where it may not be refused. Never throws.
 */
export const replaceControlCharacters = (text: string): string =>
  text.replace(EVERY_CONTROL_OR_LONE_SURROGATE, '\uFFFD');
