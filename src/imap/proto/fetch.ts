/**
 * FETCH data items (RFC 3501 §6.4.5), BINARY (RFC 3516 §4.2), MODSEQ and the
 * CHANGEDSINCE/VANISHED modifiers (RFC 7162 §3.1.4, §3.2.6), parsed into a
 * typed list, plus the name each item takes in the FETCH response.
 */
import { isValidAtom, LBRACKET, LPAREN, RBRACKET, RPAREN, SP } from './chars.js';
import type { TokenCursor } from './cursor.js';
import { readList } from './tokens.js';

/** `HEADER`, `HEADER.FIELDS[.NOT] (...)`, `TEXT`, `MIME` (MIME only after a part number). */
export type SectionText =
  | { readonly kind: 'header' }
  | { readonly kind: 'header.fields'; readonly not: boolean; readonly fields: readonly string[] }
  | { readonly kind: 'text' }
  | { readonly kind: 'mime' };

/** `BODY[1.2.HEADER]` → part [1, 2], text header; `BODY[]` → part [], text null. */
export interface Section {
  readonly part: readonly number[];
  readonly text: SectionText | null;
}

/** `<origin.length>`: the response names only the origin (RFC 3501 §6.4.5). */
export interface FetchPartial {
  readonly origin: number;
  readonly length: number;
}

export type SimpleFetchItemType =
  | 'flags'
  | 'uid'
  | 'internaldate'
  | 'rfc822.size'
  | 'envelope'
  | 'body'
  | 'bodystructure'
  | 'modseq'
  | 'rfc822'
  | 'rfc822.header'
  | 'rfc822.text'
  /** RFC 8474 OBJECTID. */
  | 'emailid'
  | 'threadid'
  /** RFC 8970 PREVIEW (the LAZY modifier is accepted; previews are always ready, computed at delivery). */
  | 'preview'
  /** RFC 8514 SAVEDATE. */
  | 'savedate';

export type FetchItem =
  | { readonly type: SimpleFetchItemType }
  /** BODY[...] / BODY.PEEK[...]. */
  | { readonly type: 'body-section'; readonly peek: boolean; readonly section: Section; readonly partial: FetchPartial | null }
  /** BINARY[...] / BINARY.PEEK[...] (RFC 3516): content-transfer-decoded part. */
  | { readonly type: 'binary'; readonly peek: boolean; readonly part: readonly number[]; readonly partial: FetchPartial | null }
  | { readonly type: 'binary.size'; readonly part: readonly number[] };

export type FetchMacro = 'ALL' | 'FAST' | 'FULL';

export interface FetchAttributes {
  /** Expanded items, in request order, duplicates kept (harmless; handlers may dedupe). */
  readonly items: readonly FetchItem[];
  /** Set when the request was a macro. */
  readonly macro: FetchMacro | null;
}

const SIMPLE: ReadonlyMap<string, SimpleFetchItemType> = new Map([
  ['FLAGS', 'flags'],
  ['UID', 'uid'],
  ['INTERNALDATE', 'internaldate'],
  ['RFC822.SIZE', 'rfc822.size'],
  ['ENVELOPE', 'envelope'],
  ['BODY', 'body'],
  ['BODYSTRUCTURE', 'bodystructure'],
  ['MODSEQ', 'modseq'],
  ['RFC822', 'rfc822'],
  ['RFC822.HEADER', 'rfc822.header'],
  ['RFC822.TEXT', 'rfc822.text'],
  ['SAVEDATE', 'savedate'],
  ['EMAILID', 'emailid'],
  ['THREADID', 'threadid'],
] as const);

const MACROS: Readonly<Record<FetchMacro, readonly SimpleFetchItemType[]>> = {
  FAST: ['flags', 'internaldate', 'rfc822.size'],
  ALL: ['flags', 'internaldate', 'rfc822.size', 'envelope'],
  FULL: ['flags', 'internaldate', 'rfc822.size', 'envelope', 'body'],
};

function isNameChar(b: number): boolean {
  return (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || (b >= 0x30 && b <= 0x39) || b === 0x2e;
}

/** RFC 5322 field name (printable ASCII except colon), as the client spelled it. */
function readFieldName(c: TokenCursor): string {
  const name = c.readAstring('header field name');
  if (!/^[\x21-\x39\x3b-\x7e]+$/.test(name)) c.fail('Invalid header field name');
  return name;
}

/** `section-part = nz-number *("." nz-number)`, stopping before a non-numeric suffix. */
function readPartPath(c: TokenCursor): number[] {
  const part: number[] = [];
  while (c.peek() >= 0x30 && c.peek() <= 0x39) {
    part.push(c.readNzNumber('part number'));
    if (c.peek() !== 0x2e) break;
    const next = c.peek(1);
    if (next < 0x30 || next > 0x39) break;
    c.advance();
  }
  return part;
}

function readSectionText(c: TokenCursor, hasPart: boolean): SectionText {
  const word = c.readWhile(isNameChar).toUpperCase();
  switch (word) {
    case 'HEADER':
      return { kind: 'header' };
    case 'TEXT':
      return { kind: 'text' };
    case 'MIME':
      if (!hasPart) c.fail('MIME requires a part number');
      return { kind: 'mime' };
    case 'HEADER.FIELDS':
    case 'HEADER.FIELDS.NOT': {
      c.expectSpace();
      const fields = readList(c, readFieldName, false, 'header list');
      return { kind: 'header.fields', not: word.endsWith('.NOT'), fields };
    }
    default:
      return c.fail('Invalid section');
  }
}

/** `section = "[" [section-spec] "]"`. */
function readSection(c: TokenCursor): Section {
  c.expectChar(LBRACKET, '[');
  if (c.skipChar(RBRACKET)) return { part: [], text: null };
  const part = readPartPath(c);
  let text: SectionText | null = null;
  if (part.length === 0) {
    text = readSectionText(c, false);
  } else if (c.skipChar(0x2e)) {
    text = readSectionText(c, true);
  }
  c.expectChar(RBRACKET, ']');
  return { part, text };
}

/** `section-binary = "[" [section-part] "]"`. */
function readBinarySection(c: TokenCursor): number[] {
  c.expectChar(LBRACKET, '[');
  const part = readPartPath(c);
  c.expectChar(RBRACKET, ']');
  return part;
}

/** `"<" number "." nz-number ">"`. */
function readPartial(c: TokenCursor): FetchPartial | null {
  if (!c.skipChar(0x3c)) return null;
  const origin = c.readNumber('partial origin');
  c.expectChar(0x2e, '.');
  const length = c.readNzNumber('partial length');
  c.expectChar(0x3e, '>');
  return { origin, length };
}

function readFetchItem(c: TokenCursor): FetchItem {
  const name = c.readWhile(isNameChar).toUpperCase();
  if (name.length === 0) c.fail('Expected fetch attribute');
  if (c.peek() === LBRACKET) {
    switch (name) {
      case 'BODY':
      case 'BODY.PEEK': {
        const section = readSection(c);
        return { type: 'body-section', peek: name === 'BODY.PEEK', section, partial: readPartial(c) };
      }
      case 'BINARY':
      case 'BINARY.PEEK': {
        const part = readBinarySection(c);
        return { type: 'binary', peek: name === 'BINARY.PEEK', part, partial: readPartial(c) };
      }
      case 'BINARY.SIZE':
        return { type: 'binary.size', part: readBinarySection(c) };
      default:
        return c.fail('Unknown fetch attribute');
    }
  }
  if (name === 'PREVIEW') {
    // RFC 8970 §3: `PREVIEW [SP "(" preview-mod *(SP preview-mod) ")"]`, LAZY the one modifier.
    const mark = c.mark();
    if (c.skipSpace() && c.peek() === LPAREN) {
      readList(c, (x) => (x.readAtom('preview modifier').toUpperCase() === 'LAZY' ? 'LAZY' : x.fail('Unknown PREVIEW modifier')), false, 'preview modifiers');
    } else {
      c.reset(mark);
    }
    return { type: 'preview' };
  }
  const simple = SIMPLE.get(name);
  if (simple === undefined) return c.fail(name.length <= 32 ? `Unknown fetch attribute ${name}` : 'Unknown fetch attribute');
  return { type: simple };
}

/** `("ALL" / "FULL" / "FAST" / fetch-att / "(" fetch-att *(SP fetch-att) ")")`. */
export function readFetchAttributes(c: TokenCursor): FetchAttributes {
  if (c.peek() === LPAREN) return { items: readList(c, readFetchItem, false, 'fetch attribute list'), macro: null };
  const mark = c.mark();
  const word = c.readWhile(isNameChar).toUpperCase();
  if ((word === 'ALL' || word === 'FAST' || word === 'FULL') && (c.peek() === SP || c.atEnd())) {
    return { items: MACROS[word].map((type) => ({ type })), macro: word };
  }
  c.reset(mark);
  return { items: [readFetchItem(c)], macro: null };
}

export interface FetchModifiers {
  readonly changedSince: bigint | null;
  readonly vanished: boolean;
}

/**
 * `fetch-modifiers = SP "(" fetch-modifier *(SP fetch-modifier) ")"` after the
 * attributes (the leading SP already consumed). VANISHED needs UID FETCH and
 * CHANGEDSINCE (RFC 7162 §3.2.6).
 */
export function readFetchModifiers(c: TokenCursor, uid: boolean): FetchModifiers {
  let changedSince: bigint | null = null;
  let vanished = false;
  c.expectChar(LPAREN, 'fetch modifiers');
  for (;;) {
    const word = c.readKeyword('fetch modifier');
    if (word === 'CHANGEDSINCE' && changedSince === null) {
      c.expectSpace();
      const value = c.readNumber64('mod-sequence');
      if (value === 0n) c.fail('CHANGEDSINCE must be positive');
      changedSince = value;
    } else if (word === 'VANISHED' && !vanished) {
      vanished = true;
    } else {
      c.fail('Invalid fetch modifier');
    }
    if (c.skipChar(RPAREN)) break;
    c.expectSpace();
  }
  if (vanished && !uid) c.fail('VANISHED requires UID FETCH');
  if (vanished && changedSince === null) c.fail('VANISHED requires CHANGEDSINCE');
  return { changedSince, vanished };
}

/** Items whose response implicitly sets \Seen (RFC 3501 §6.4.5; RFC 3516 for BINARY). */
export function fetchItemSetsSeen(item: FetchItem): boolean {
  switch (item.type) {
    case 'rfc822':
    case 'rfc822.text':
      return true;
    case 'body-section':
    case 'binary':
      return !item.peek;
    default:
      return false;
  }
}

function formatFieldName(name: string): string {
  return isValidAtom(name) ? name : `"${name.replace(/[\\"]/g, (ch) => `\\${ch}`)}"`;
}

/** Section spec text inside the brackets, e.g. `1.2.HEADER.FIELDS (SUBJECT FROM)`. */
export function formatSection(section: Section): string {
  const part = section.part.join('.');
  const text = section.text;
  if (text === null) return part;
  let spec: string;
  switch (text.kind) {
    case 'header':
      spec = 'HEADER';
      break;
    case 'text':
      spec = 'TEXT';
      break;
    case 'mime':
      spec = 'MIME';
      break;
    case 'header.fields':
      spec = `HEADER.FIELDS${text.not ? '.NOT' : ''} (${text.fields.map(formatFieldName).join(' ')})`;
      break;
  }
  return part.length > 0 ? `${part}.${spec}` : spec;
}

/**
 * The item's name in the FETCH response: `.PEEK` dropped, partials shown as
 * `<origin>` only (RFC 3501 §7.4.2), e.g. `BODY[HEADER.FIELDS (SUBJECT)]`, `BODY[]<0>`.
 */
export function fetchItemResponseName(item: FetchItem): string {
  switch (item.type) {
    case 'body-section':
      return `BODY[${formatSection(item.section)}]${item.partial ? `<${item.partial.origin}>` : ''}`;
    case 'binary':
      return `BINARY[${item.part.join('.')}]${item.partial ? `<${item.partial.origin}>` : ''}`;
    case 'binary.size':
      return `BINARY.SIZE[${item.part.join('.')}]`;
    default:
      return item.type.toUpperCase();
  }
}
