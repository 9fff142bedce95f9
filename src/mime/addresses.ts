/**
 * Address lists (RFC 5322 §3.4, obsolete forms §4.4) into IMAP ENVELOPE
 * address structures (RFC 3501 §7.4.2) and decoded facts. The parser never
 * fails: whatever cannot be read as an address becomes the best guess a
 * human would make (a bare word is a mailbox without a domain, a missing
 * comma between two addresses is assumed, a missing ">" is closed).
 */
import type { AddressFact, EnvelopeAddress } from './types.js';
import { decodeWords } from './encoded-words.js';

type Special = '<' | '>' | ':' | ';' | '@' | ',';

interface Tok {
  t: 'atom' | 'quoted' | 'literal' | 'comment' | 'special';
  /** atom text, unescaped quoted/comment content, literal with brackets, or the special char. */
  v: string;
  /** As written (quoted strings keep their quotes). */
  raw: string;
  /** Whitespace or a comment came before this token. */
  ws: boolean;
}

export interface Mailbox {
  name: string | null;
  route: string | null;
  local: string | null;
  domain: string | null;
}

export type AddressItem =
  | { kind: 'mailbox'; mailbox: Mailbox }
  | { kind: 'group'; name: string; members: Mailbox[] };

const SPECIALS = '<>:;@,';
const ATOM_END = ' \t\r\n()<>[]:;@,"';

function readDelimited(s: string, i: number, close: string, nest: string | null): { v: string; end: number } {
  let v = '';
  let depth = 1;
  for (; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && i + 1 < s.length) {
      v += s[++i];
    } else if (nest !== null && c === nest) {
      depth++;
      v += c;
    } else if (c === close) {
      if (--depth === 0) return { v, end: i + 1 };
      v += c;
    } else {
      v += c;
    }
  }
  return { v, end: s.length };
}

function tokenize(s: string): Tok[] {
  const out: Tok[] = [];
  let ws = false;
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      ws = true;
      i++;
      continue;
    }
    const start = i;
    if (c === '(') {
      const r = readDelimited(s, i + 1, ')', '(');
      out.push({ t: 'comment', v: r.v.trim(), raw: s.slice(start, r.end), ws });
      i = r.end;
      ws = true;
      continue;
    }
    if (c === ')') {
      i++; // stray close: nothing to attach it to
      continue;
    }
    if (c === '"') {
      const r = readDelimited(s, i + 1, '"', null);
      out.push({ t: 'quoted', v: r.v, raw: s.slice(start, r.end), ws });
      i = r.end;
    } else if (c === '[') {
      const close = s.indexOf(']', i + 1);
      i = close < 0 ? s.length : close + 1;
      out.push({ t: 'literal', v: s.slice(start, i), raw: s.slice(start, i), ws });
    } else if (SPECIALS.includes(c)) {
      out.push({ t: 'special', v: c, raw: c, ws });
      i++;
    } else {
      while (i < s.length && !ATOM_END.includes(s[i]!)) i++;
      if (i === start) i++; // "]" on its own: keep it as a one-char atom
      out.push({ t: 'atom', v: s.slice(start, i), raw: s.slice(start, i), ws });
    }
    ws = false;
  }
  return out;
}

function isSpecial(t: Tok | undefined, ...chars: Special[]): boolean {
  return t !== undefined && t.t === 'special' && (chars as string[]).includes(t.v);
}

/** Display-name text: words joined by one space where the header had whitespace, quotes removed. */
function phraseText(toks: readonly Tok[]): string | null {
  let out = '';
  for (const t of toks) {
    if (t.t === 'comment') continue;
    if (out !== '' && t.ws) out += ' ';
    out += t.t === 'quoted' ? t.v : t.raw;
  }
  out = out.trim();
  return out === '' ? null : out;
}

function joinTight(toks: readonly Tok[]): string {
  let out = '';
  for (const t of toks) out += t.raw;
  return out;
}

function lastComment(toks: readonly Tok[]): string | null {
  for (let i = toks.length - 1; i >= 0; i--) {
    const t = toks[i]!;
    if (t.t === 'comment' && t.v !== '') return t.v;
  }
  return null;
}

/** addr-spec from tokens (comments already removed); no "@" means no domain. */
function addrSpec(toks: readonly Tok[], name: string | null): Mailbox {
  let at = -1;
  for (let i = toks.length - 1; i >= 0; i--) {
    if (isSpecial(toks[i], '@')) {
      at = i;
      break;
    }
  }
  if (at < 0) return { name, route: null, local: phraseText(toks), domain: null };
  let localToks = toks.slice(0, at);
  // "John Doe john@example.com": words separated by whitespace (not joined by
  // dots, which obs-local-part allows) are a display name the sender forgot
  // to put in front of angle brackets.
  let split = -1;
  for (let i = 1; i < localToks.length; i++) {
    const t = localToks[i]!;
    const prev = localToks[i - 1]!;
    if (t.ws && !t.raw.startsWith('.') && !prev.raw.endsWith('.')) split = i;
  }
  if (split > 0) {
    name = name ?? phraseText(localToks.slice(0, split));
    localToks = localToks.slice(split);
  }
  const local = joinTight(localToks);
  const domain = joinTight(toks.slice(at + 1));
  return { name, route: null, local: local === '' ? null : local, domain: domain === '' ? null : domain };
}

/** Splits "a@b c@d" (missing comma) into one token run per address. */
function splitRuns(toks: readonly Tok[]): Tok[][] {
  const runs: Tok[][] = [];
  let cur: Tok[] = [];
  let hasAt = false;
  for (const t of toks) {
    const last = cur[cur.length - 1];
    const joined = last !== undefined && (isSpecial(last, '@') || isSpecial(t, '@') || last.raw.endsWith('.') || t.raw.startsWith('.'));
    if (t.ws && hasAt && last !== undefined && !joined) {
      runs.push(cur);
      cur = [];
      hasAt = false;
    }
    if (isSpecial(t, '@')) hasAt = true;
    cur.push(t);
  }
  if (cur.length > 0) runs.push(cur);
  return runs;
}

class Parser {
  private p = 0;
  constructor(private readonly toks: Tok[]) {}

  parse(): AddressItem[] {
    const items: AddressItem[] = [];
    while (this.p < this.toks.length) {
      if (isSpecial(this.toks[this.p], ',', ';', '>')) {
        this.p++;
        continue;
      }
      const phrase = this.collect();
      if (isSpecial(this.toks[this.p], ':')) {
        this.p++;
        items.push({ kind: 'group', name: phraseText(phrase) ?? '', members: this.groupMembers() });
      } else {
        for (const mailbox of this.finishMailbox(phrase)) items.push({ kind: 'mailbox', mailbox });
      }
    }
    return items;
  }

  private groupMembers(): Mailbox[] {
    const members: Mailbox[] = [];
    while (this.p < this.toks.length) {
      const t = this.toks[this.p];
      if (isSpecial(t, ';')) {
        this.p++;
        break;
      }
      if (isSpecial(t, ',', ':', '>')) {
        this.p++; // a nested group is not allowed (RFC 5322 §3.4); read through it
        continue;
      }
      const phrase = this.collect();
      if (isSpecial(this.toks[this.p], ':')) {
        this.p++; // "Outer: Inner: a@b;": the inner name is dropped, its members kept
        continue;
      }
      members.push(...this.finishMailbox(phrase));
    }
    return members;
  }

  /** Tokens up to the next "<", ":", ",", ";" or the end. */
  private collect(): Tok[] {
    const out: Tok[] = [];
    while (this.p < this.toks.length && !isSpecial(this.toks[this.p], '<', ':', ',', ';')) {
      const t = this.toks[this.p++]!;
      if (!isSpecial(t, '>')) out.push(t); // stray ">" outside brackets
    }
    return out;
  }

  private finishMailbox(phrase: Tok[]): Mailbox[] {
    if (!isSpecial(this.toks[this.p], '<')) {
      const words = phrase.filter((t) => t.t !== 'comment');
      if (words.length === 0) return [];
      const runs = splitRuns(words);
      const comment = runs.length === 1 ? lastComment(phrase) : null;
      return runs.map((run) => addrSpec(run, comment));
    }
    this.p++;
    const inner: Tok[] = [];
    const routeEnd = this.routeEnd();
    while (this.p < this.toks.length && !isSpecial(this.toks[this.p], '>')) {
      const t = this.toks[this.p]!;
      // A "," in brackets is only legal in a source route; anywhere else it
      // means the ">" is missing.
      if (isSpecial(t, ',', ';') && this.p > routeEnd) break;
      inner.push(t);
      this.p++;
    }
    if (isSpecial(this.toks[this.p], '>')) this.p++;
    const trailing: Tok[] = [];
    while (this.p < this.toks.length && !isSpecial(this.toks[this.p], ',', ';')) {
      trailing.push(this.toks[this.p++]!);
    }
    let words = inner.filter((t) => t.t !== 'comment');
    let route: string | null = null;
    if (isSpecial(words[0], '@')) {
      // obs-route (RFC 5322 §4.4): "@a,@b:" before the addr-spec.
      const colon = words.findIndex((t) => isSpecial(t, ':'));
      if (colon > 0) {
        route = joinTight(words.slice(0, colon));
        words = words.slice(colon + 1);
      }
    }
    const name = phraseText(phrase) ?? lastComment([...phrase, ...inner, ...trailing]);
    if (words.length === 0) {
      // "<>": the null reverse-path. Kept only when it has a name to carry.
      return name === null ? [] : [{ name, route, local: '', domain: '' }];
    }
    return [{ ...addrSpec(words, name), route }];
  }

  /** Index of the ":" ending an obs-route that starts at the current token, or -1. */
  private routeEnd(): number {
    let i = this.p;
    while (i < this.toks.length && this.toks[i]!.t === 'comment') i++;
    if (!isSpecial(this.toks[i], '@')) return -1;
    for (; i < this.toks.length; i++) {
      const t = this.toks[i];
      if (isSpecial(t, ':')) return i;
      if (isSpecial(t, '>', '<', ';')) return -1;
    }
    return -1;
  }
}

export function parseAddressList(value: string): AddressItem[] {
  return new Parser(tokenize(value)).parse();
}

/**
 * ENVELOPE form. Groups become a start marker (mailbox = group name, host
 * NIL) and an end marker (all NIL), RFC 3501 §7.4.2. Null when the field is
 * absent or holds no address at all.
 */
export function envelopeAddresses(value: string | null): EnvelopeAddress[] | null {
  if (value === null) return null;
  const out: EnvelopeAddress[] = [];
  const push = (m: Mailbox): void => {
    out.push({ name: m.name, adl: m.route, mailbox: m.local, host: m.domain });
  };
  for (const item of parseAddressList(value)) {
    if (item.kind === 'mailbox') {
      push(item.mailbox);
    } else {
      out.push({ name: null, adl: null, mailbox: item.name, host: null });
      item.members.forEach(push);
      out.push({ name: null, adl: null, mailbox: null, host: null });
    }
  }
  return out.length > 0 ? out : null;
}

/** Decoded form for search and display; group structure flattened, empty addresses dropped. */
export function addressFacts(value: string | null): AddressFact[] {
  if (value === null) return [];
  const out: AddressFact[] = [];
  const push = (m: Mailbox): void => {
    const local = m.local ?? '';
    const address = m.domain ? `${local}@${m.domain.toLowerCase()}` : local;
    if (address === '') return;
    out.push({ name: m.name === null ? '' : decodeWords(m.name).trim(), address });
  };
  for (const item of parseAddressList(value)) {
    if (item.kind === 'mailbox') push(item.mailbox);
    else item.members.forEach(push);
  }
  return out;
}
