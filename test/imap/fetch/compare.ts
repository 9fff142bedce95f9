/**
 * How one FETCH answer compares with Dovecot's: byte for byte, by value
 * (same strings, spelled as quoted string or literal), or by value after the
 * documented normalisations (docs/IMAP-COMPAT.md), each of which stands for a
 * deliberate difference that RFC 3501 allows.
 */
import { canonical, parseWire, type WireNode } from './wire-values.js';

export type Normalisation = 'mime-case' | 'field-name-case';

export type Verdict =
  | { kind: 'exact' }
  | { kind: 'equivalent' }
  | { kind: 'normalised'; rules: Normalisation[] }
  | { kind: 'different'; ours: string; theirs: string };

const lower = (n: WireNode): WireNode => (n.t === 'str' ? { ...n, v: Buffer.from(n.v.toString('latin1').toLowerCase(), 'latin1') } : n);

/** Lower-cases the names (even positions) of a body-fld-param list. */
function paramNames(n: WireNode | undefined): WireNode | undefined {
  if (n === undefined || n.t !== 'list') return n;
  return { t: 'list', v: n.v.map((x, i) => (i % 2 === 0 ? lower(x) : x)) };
}

/** body-fld-dsp: `(type params)`. */
function disposition(n: WireNode | undefined): WireNode | undefined {
  if (n === undefined || n.t !== 'list') return n;
  const [type, params] = n.v;
  return { t: 'list', v: [type === undefined ? type : lower(type), paramNames(params)].filter((x): x is WireNode => x !== undefined) };
}

function isString(n: WireNode | undefined, text: string): boolean {
  return n !== undefined && n.t === 'str' && n.v.toString('latin1').toLowerCase() === text;
}

/**
 * RFC 3501 §9 `body`, with the case-insensitive tokens lower-cased: media
 * type and subtype, parameter names, the transfer encoding and the
 * disposition type. Dovecot writes them as the message does; the scanner
 * hands them to Eider lower-cased (the encoding upper-cased).
 */
function bodyCase(n: WireNode): WireNode {
  if (n.t !== 'list') return n;
  const v = [...n.v];
  if (v[0]?.t === 'list') {
    let i = 0;
    for (let child = v[i]; child !== undefined && child.t === 'list'; child = v[++i]) v[i] = bodyCase(child);
    const sub = v[i];
    if (sub !== undefined) v[i] = lower(sub);
    const ext = [paramNames(v[i + 1]), disposition(v[i + 2])];
    ext.forEach((x, k) => {
      if (x !== undefined) v[i + 1 + k] = x;
    });
    return { t: 'list', v };
  }
  const message = isString(v[0], 'message') && isString(v[1], 'rfc822');
  const text = isString(v[0], 'text');
  for (const i of [0, 1, 5]) {
    const x = v[i];
    if (x !== undefined) v[i] = lower(x);
  }
  const params = paramNames(v[2]);
  if (params !== undefined) v[2] = params;
  let ext = 7;
  if (message) {
    const inner = v[8];
    if (inner !== undefined) v[8] = bodyCase(inner);
    ext = 10;
  } else if (text) {
    ext = 8;
  }
  const dsp = disposition(v[ext + 1]);
  if (dsp !== undefined) v[ext + 1] = dsp;
  return { t: 'list', v };
}

function normalise(tree: WireNode, rules: readonly Normalisation[]): WireNode {
  if (tree.t !== 'list') return tree;
  const v = [...tree.v];
  for (let i = 0; i + 1 < v.length; i += 2) {
    const name = v[i];
    const value = v[i + 1];
    if (name === undefined || value === undefined || name.t !== 'atom') continue;
    if (rules.includes('field-name-case') && /HEADER\.FIELDS/i.test(name.v)) v[i] = { t: 'atom', v: name.v.toUpperCase() };
    if (rules.includes('mime-case') && (name.v === 'BODY' || name.v === 'BODYSTRUCTURE')) v[i + 1] = bodyCase(value);
  }
  return { t: 'list', v };
}

const ALL_RULES: readonly Normalisation[] = ['mime-case', 'field-name-case'];

/** Compares our `(NAME value)` bytes with Dovecot's. */
export function compareAnswers(ours: Buffer, theirs: Buffer): Verdict {
  if (ours.equals(theirs)) return { kind: 'exact' };
  const a = parseWire(ours);
  const b = parseWire(theirs);
  if (canonical(a) === canonical(b)) return { kind: 'equivalent' };
  const used = ALL_RULES.filter((r) => canonical(normalise(a, [r])) !== canonical(a) || canonical(normalise(b, [r])) !== canonical(b));
  const na = canonical(normalise(a, ALL_RULES));
  const nb = canonical(normalise(b, ALL_RULES));
  if (na === nb) return { kind: 'normalised', rules: used };
  return { kind: 'different', ours: na, theirs: nb };
}
