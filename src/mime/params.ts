/**
 * Content-Type (RFC 2045 §5.1) and Content-Disposition (RFC 2183) values:
 * the leading token(s) and the parameter list, with RFC 2231 continuations
 * and charset/percent encoding resolved.
 *
 * Two parameter lists come out. `params` is what applications want: one
 * entry per logical parameter, continuations joined, values in UTF-8.
 * `rawParams` is every parameter as written (name lowercased, quotes
 * removed, RFC 2231 untouched); the IMAP layer may prefer it for
 * BODYSTRUCTURE, since RFC 3501 servers traditionally pass parameters
 * through rather than decode them.
 */
import { decodeCharset } from './charset.js';

export type ParamList = Array<[string, string]>;

export interface ParsedParams {
  params: ParamList;
  rawParams: ParamList;
}

export interface ParsedContentType extends ParsedParams {
  /** Lowercased; "" when the value was not a valid type/subtype. */
  type: string;
  subtype: string;
  valid: boolean;
}

export interface ParsedDisposition extends ParsedParams {
  /** As written. */
  type: string;
}

/** Removes (comments), honouring nesting, quoted strings and backslash escapes (RFC 5322 §3.2.2). */
export function stripComments(s: string): string {
  if (s.indexOf('(') < 0) return s;
  let out = '';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (depth > 0) {
      if (c === '\\') i++;
      else if (c === '(') depth++;
      else if (c === ')') depth--;
      continue;
    }
    if (quoted) {
      out += c;
      if (c === '\\') out += s[++i] ?? '';
      else if (c === '"') quoted = false;
      continue;
    }
    if (c === '"') quoted = true;
    if (c === '(') {
      depth = 1;
      out += ' ';
      continue;
    }
    out += c;
  }
  return out;
}

/** Splits at ";" outside quoted strings. */
function splitSemicolons(s: string): string[] {
  const out: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\' && quoted) { i++; continue; }
    if (c === '"') quoted = !quoted;
    else if (c === ';' && !quoted) {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  out.push(s.slice(start));
  return out;
}

function unquote(v: string): string {
  if (v[0] !== '"') {
    // RFC 2045's own example: "charset=us-ascii (Plain text)". A "(" glued
    // to the value (name=file(1).pdf) is kept: that is a filename, not a comment.
    if (v.endsWith(')')) {
      const open = v.search(/[ \t]\(/);
      if (open >= 0) return v.slice(0, open).trim();
    }
    return v;
  }
  let out = '';
  for (let i = 1; i < v.length; i++) {
    const c = v[i]!;
    if (c === '\\' && i + 1 < v.length) {
      out += v[++i];
    } else if (c === '"') {
      return out;
    } else {
      out += c;
    }
  }
  return out; // unterminated quote: take the rest
}

function percentDecode(s: string): Buffer {
  const src = Buffer.from(s, 'utf8');
  const out = Buffer.allocUnsafe(src.length);
  let o = 0;
  for (let i = 0; i < src.length; i++) {
    const b = src[i]!;
    if (b === 0x25 && i + 2 < src.length) {
      const hex = src.toString('latin1', i + 1, i + 3);
      if (/^[0-9a-fA-F]{2}$/.test(hex)) {
        out[o++] = parseInt(hex, 16);
        i += 2;
        continue;
      }
    }
    out[o++] = b;
  }
  return out.subarray(0, o);
}

/** charset'language'octets (RFC 2231 §4); tolerant of a missing or single quote. */
function splitExtended(v: string): { charset: string; data: string } {
  const q1 = v.indexOf("'");
  if (q1 < 0) return { charset: '', data: v };
  const q2 = v.indexOf("'", q1 + 1);
  if (q2 < 0) return { charset: v.slice(0, q1), data: v.slice(q1 + 1) };
  return { charset: v.slice(0, q1), data: v.slice(q2 + 1) };
}

interface Group {
  name: string;
  plain: string | null;
  extended: string | null;
  sections: Array<{ n: number; value: string; encoded: boolean }>;
}

/** Resolves RFC 2231 §3-§4 forms: name*, name*0, name*0*, name*1 ... */
function resolveParams(raw: ParamList): ParamList {
  const groups = new Map<string, Group>();
  const order: Group[] = [];
  for (const [name, value] of raw) {
    const m = /^(.*?)\*(?:(\d+)(\*)?)?$/.exec(name);
    const base = m && m[1] ? m[1] : name;
    let g = groups.get(base);
    if (!g) {
      g = { name: base, plain: null, extended: null, sections: [] };
      groups.set(base, g);
      order.push(g);
    }
    if (!m || !m[1]) {
      if (g.plain === null) g.plain = value;
    } else if (m[2] === undefined) {
      if (g.extended === null) g.extended = value;
    } else {
      const n = Number(m[2]);
      if (!g.sections.some((s) => s.n === n)) g.sections.push({ n, value, encoded: m[3] === '*' });
    }
  }
  const out: ParamList = [];
  for (const g of order) {
    if (g.extended !== null) {
      const { charset, data } = splitExtended(g.extended);
      out.push([g.name, decodeCharset(percentDecode(data), charset)]);
    } else if (g.sections.length > 0) {
      g.sections.sort((a, b) => a.n - b.n);
      if (!g.sections.some((s) => s.encoded)) {
        out.push([g.name, g.sections.map((s) => s.value).join('')]);
        continue;
      }
      let charset = '';
      const bytes: Buffer[] = [];
      g.sections.forEach((s, idx) => {
        let v = s.value;
        if (s.encoded && idx === 0 && s.n === 0) {
          const ext = splitExtended(v);
          charset = ext.charset;
          v = ext.data;
        }
        bytes.push(s.encoded ? percentDecode(v) : Buffer.from(v, 'utf8'));
      });
      out.push([g.name, decodeCharset(Buffer.concat(bytes), charset)]);
    } else if (g.plain !== null) {
      out.push([g.name, g.plain]);
    }
  }
  return out;
}

/** Parses "; a=b; c="d"" (the text after the leading token). */
export function parseParams(s: string): ParsedParams {
  const rawParams: ParamList = [];
  for (const seg of splitSemicolons(s)) {
    const eq = seg.indexOf('=');
    if (eq < 0) continue;
    const name = stripComments(seg.slice(0, eq)).trim().toLowerCase();
    if (name === '' || /[\s"]/.test(name)) continue;
    rawParams.push([name, unquote(seg.slice(eq + 1).trim())]);
  }
  return { params: resolveParams(rawParams), rawParams };
}

/**
 * Splits a structured value into its leading token and the parameter text.
 * Tolerates a missing ";" before the first parameter ("text/plain charset=x").
 */
function splitLead(value: string): { lead: string; rest: string } {
  const parts = splitSemicolons(value);
  let lead = stripComments(parts[0] ?? '').trim();
  let rest = parts.slice(1).join(';');
  const glued = /^(\S+)\s+([^\s=;]+\s*=.*)$/.exec(lead);
  if (glued) {
    lead = glued[1]!;
    rest = glued[2]! + (rest ? ';' + rest : '');
  } else if (lead.indexOf('=') >= 0) {
    // No leading token at all, just parameters.
    rest = parts.join(';');
    lead = '';
  }
  return { lead, rest };
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z\x80-\uffff]+$/;

export function parseContentType(value: string): ParsedContentType {
  const { lead, rest } = splitLead(value);
  const { params, rawParams } = parseParams(rest);
  const slash = lead.indexOf('/');
  const type = slash > 0 ? lead.slice(0, slash).trim().toLowerCase() : '';
  const subtype = slash > 0 ? lead.slice(slash + 1).trim().toLowerCase() : '';
  const valid = TOKEN.test(type) && TOKEN.test(subtype);
  return valid
    ? { type, subtype, valid, params, rawParams }
    : { type: '', subtype: '', valid, params, rawParams };
}

/**
 * Content-Disposition. A missing type with parameters present becomes
 * "attachment", the treatment RFC 2183 §2.8 asks for unknown types. Null
 * when there is nothing at all.
 */
export function parseDisposition(value: string): ParsedDisposition | null {
  const { lead, rest } = splitLead(value);
  const { params, rawParams } = parseParams(rest);
  let type = lead.trim();
  if (!TOKEN.test(type)) {
    if (rawParams.length === 0) return null;
    type = 'attachment';
  }
  return { type, params, rawParams };
}

/** Content-Language (RFC 3282): comma-separated tags, comments allowed. */
export function parseLanguageList(value: string): string[] | null {
  const tags = stripComments(value)
    .split(/[,\s]+/)
    .map((t) => t.trim())
    .filter((t) => t !== '');
  return tags.length > 0 ? tags : null;
}

/** Content-Transfer-Encoding, uppercased; "7BIT" when absent or empty (RFC 2045 §6.1). */
export function parseEncoding(value: string | null): string {
  if (value === null) return '7BIT';
  const v = stripComments(value).trim().replace(/^"|"$/g, '').toUpperCase();
  return v === '' ? '7BIT' : v;
}

/** First value of a parameter list entry, or null. */
export function paramValue(list: ParamList, name: string): string | null {
  for (const [k, v] of list) if (k === name) return v;
  return null;
}
