/**
 * Octet classes of the RFC 3501 §9 grammar, as a lookup table so that the
 * reader and the tokenizer agree on exactly the same definitions.
 */

const ATOM = 1;
const ASTRING = 2;
const TAG = 4;
const LIST = 8;

const table = new Uint8Array(256);
for (let b = 0x21; b <= 0x7e; b++) {
  // atom-specials: "(" / ")" / "{" / SP / CTL / list-wildcards / quoted-specials / resp-specials
  const special = '(){%*"\\]'.includes(String.fromCharCode(b));
  let flags = 0;
  if (!special) flags |= ATOM | ASTRING | LIST;
  if (b === 0x5d) flags |= ASTRING | LIST; // "]" is a resp-special but an ASTRING-CHAR
  if (b === 0x25 || b === 0x2a) flags |= LIST; // list-wildcards
  // tag = 1*<any ASTRING-CHAR except "+">
  if ((flags & ASTRING) !== 0 && b !== 0x2b) flags |= TAG;
  table[b] = flags;
}

export const SP = 0x20;
export const CR = 0x0d;
export const LF = 0x0a;
export const DQUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const LPAREN = 0x28;
export const RPAREN = 0x29;
export const LBRACE = 0x7b;
export const RBRACE = 0x7d;
export const LBRACKET = 0x5b;
export const RBRACKET = 0x5d;
export const TILDE = 0x7e;

export function isAtomChar(b: number): boolean {
  return b >= 0 && ((table[b] ?? 0) & ATOM) !== 0;
}

export function isAstringChar(b: number): boolean {
  return b >= 0 && ((table[b] ?? 0) & ASTRING) !== 0;
}

export function isTagChar(b: number): boolean {
  return b >= 0 && ((table[b] ?? 0) & TAG) !== 0;
}

export function isListChar(b: number): boolean {
  return b >= 0 && ((table[b] ?? 0) & LIST) !== 0;
}

export function isDigit(b: number): boolean {
  return b >= 0x30 && b <= 0x39;
}

/** RFC 3501 tag grammar; the reader and `parseCommandLine` both use it. */
export function isValidTag(tag: string): boolean {
  if (tag.length === 0) return false;
  for (let i = 0; i < tag.length; i++) {
    if (!isTagChar(tag.charCodeAt(i))) return false;
  }
  return true;
}

export function isValidAtom(value: string): boolean {
  if (value.length === 0) return false;
  for (let i = 0; i < value.length; i++) {
    if (!isAtomChar(value.charCodeAt(i))) return false;
  }
  return true;
}
