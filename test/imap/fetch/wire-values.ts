/**
 * A small parser for server response data (RFC 3501 §9), used to compare two
 * servers' FETCH answers by value rather than by spelling: a quoted string
 * and a literal with the same octets are the same string.
 */

export type WireNode =
  | { readonly t: 'nil' }
  | { readonly t: 'num'; readonly v: string }
  | { readonly t: 'atom'; readonly v: string }
  /** `literal8`: a `~{n}` literal (RFC 3516). */
  | { readonly t: 'str'; readonly v: Buffer; readonly form: 'quoted' | 'literal' | 'literal8' }
  | { readonly t: 'list'; readonly v: WireNode[] };

class Reader {
  pos = 0;
  constructor(private readonly buf: Buffer) {}

  peek(): number {
    return this.buf[this.pos] ?? -1;
  }

  fail(what: string): never {
    throw new Error(`${what} at offset ${this.pos}: ${JSON.stringify(this.buf.toString('latin1', this.pos, this.pos + 40))}`);
  }

  value(): WireNode {
    const c = this.peek();
    if (c === 0x28) return this.list();
    if (c === 0x22) return this.quoted();
    if (c === 0x7b || (c === 0x7e && this.buf[this.pos + 1] === 0x7b)) return this.literal();
    return this.atomOrNumber();
  }

  private list(): WireNode {
    this.pos++;
    const v: WireNode[] = [];
    for (;;) {
      while (this.peek() === 0x20) this.pos++;
      if (this.peek() === 0x29) {
        this.pos++;
        return { t: 'list', v };
      }
      if (this.peek() < 0) this.fail('unterminated list');
      v.push(this.value());
    }
  }

  private quoted(): WireNode {
    this.pos++;
    const out: number[] = [];
    for (;;) {
      const c = this.peek();
      if (c < 0) this.fail('unterminated string');
      this.pos++;
      if (c === 0x22) return { t: 'str', v: Buffer.from(out), form: 'quoted' };
      if (c === 0x5c) {
        out.push(this.peek());
        this.pos++;
      } else {
        out.push(c);
      }
    }
  }

  private literal(): WireNode {
    const binary = this.peek() === 0x7e;
    if (binary) this.pos++;
    const close = this.buf.indexOf('}', this.pos);
    const n = Number(this.buf.toString('latin1', this.pos + 1, close));
    if (!Number.isSafeInteger(n) || this.buf[close + 1] !== 0x0d || this.buf[close + 2] !== 0x0a) this.fail('bad literal');
    const start = close + 3;
    this.pos = start + n;
    if (this.pos > this.buf.length) this.fail('short literal');
    return { t: 'str', v: Buffer.from(this.buf.subarray(start, start + n)), form: binary ? 'literal8' : 'literal' };
  }

  /** Atoms may hold a bracketed section with spaces and parentheses, e.g. `BODY[HEADER.FIELDS (A B)]<0>`. */
  private atomOrNumber(): WireNode {
    const start = this.pos;
    let depth = 0;
    for (;;) {
      const c = this.peek();
      if (c < 0) break;
      if (c === 0x5b) depth++;
      else if (c === 0x5d) depth--;
      else if (depth === 0 && (c === 0x20 || c === 0x28 || c === 0x29)) break;
      this.pos++;
    }
    if (this.pos === start) this.fail('empty atom');
    const text = this.buf.toString('latin1', start, this.pos);
    if (text.toUpperCase() === 'NIL') return { t: 'nil' };
    return /^[0-9]+$/.test(text) ? { t: 'num', v: text } : { t: 'atom', v: text };
  }

  end(): void {
    if (this.pos !== this.buf.length) this.fail('trailing data');
  }
}

export function parseWire(buf: Buffer): WireNode {
  const r = new Reader(buf);
  const v = r.value();
  r.end();
  return v;
}

/** A canonical text for comparisons: strings by content (latin1), forms ignored. */
export function canonical(node: WireNode): string {
  switch (node.t) {
    case 'nil':
      return 'NIL';
    case 'num':
      return node.v;
    case 'atom':
      return node.v;
    case 'str':
      return JSON.stringify(node.v.toString('latin1'));
    case 'list':
      return `(${node.v.map(canonical).join(' ')})`;
  }
}

export function mapStrings(node: WireNode, f: (s: string) => string): WireNode {
  return node.t === 'str' ? { ...node, v: Buffer.from(f(node.v.toString('latin1')), 'latin1') } : node;
}
