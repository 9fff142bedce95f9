/**
 * RFC 2047 encoded-word decoding, tolerant of what real mailers send:
 * words glued to surrounding text, spaces inside Q words, multi-byte
 * characters split across adjacent words, unknown charsets, bad base64.
 */
import { decodeCharset } from './charset.js';

// charset may carry an RFC 2231 §5 language suffix ("utf-8*en"). The text
// may contain spaces (a common encoder bug) but not "?", which keeps the
// match linear: an unterminated word stops at the next "?".
const WORD = /=\?([^?\s]+)\?([bBqQ])\?([^?]*)\?=/g;

interface Word {
  start: number;
  end: number;
  charset: string;
  bytes: Buffer;
}

function hexVal(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/** Q encoding (RFC 2047 §4.2): "_" is space, "=XX" a byte; a bad escape stays literal. */
export function decodeQ(text: string): Buffer {
  // Encoded words are ASCII by definition; raw 8-bit text inside one keeps its bytes.
  const src = Buffer.from(text, /[^\x00-\xff]/.test(text) ? 'utf8' : 'latin1');
  const out = Buffer.allocUnsafe(src.length);
  let o = 0;
  for (let i = 0; i < src.length; i++) {
    const b = src[i]!;
    if (b === 0x5f) {
      out[o++] = 0x20;
    } else if (b === 0x3d && i + 2 < src.length && hexVal(src[i + 1]!) >= 0 && hexVal(src[i + 2]!) >= 0) {
      out[o++] = (hexVal(src[i + 1]!) << 4) | hexVal(src[i + 2]!);
      i += 2;
    } else {
      out[o++] = b;
    }
  }
  return out.subarray(0, o);
}

/** B encoding: Node's decoder skips characters outside the alphabet and missing padding. */
function decodeB(text: string): Buffer {
  return Buffer.from(text.replace(/[^A-Za-z0-9+/]/g, ''), 'base64');
}

function charsetKey(cs: string): string {
  const star = cs.indexOf('*');
  return (star >= 0 ? cs.slice(0, star) : cs).toLowerCase();
}

/**
 * Decodes every encoded word in `value`. Whitespace between two adjacent
 * encoded words is dropped (§6.2); adjacent words in the same charset are
 * joined as bytes before charset decoding, which repairs the common encoder
 * bug of splitting a UTF-8 sequence across words.
 */
export function decodeWords(value: string): string {
  if (value.indexOf('=?') < 0) return value;
  const words: Word[] = [];
  WORD.lastIndex = 0;
  for (let m = WORD.exec(value); m !== null; m = WORD.exec(value)) {
    const [, charset = '', enc = 'q', text = ''] = m;
    const bytes = enc === 'b' || enc === 'B' ? decodeB(text) : decodeQ(text);
    words.push({ start: m.index, end: m.index + m[0].length, charset: charsetKey(charset), bytes });
  }
  if (words.length === 0) return value;

  let out = '';
  let pos = 0;
  let i = 0;
  while (i < words.length) {
    const first = words[i]!;
    out += value.slice(pos, first.start);
    const run: Buffer[] = [first.bytes];
    let last = first;
    let j = i + 1;
    while (j < words.length) {
      const w = words[j]!;
      if (!/^[ \t\r\n]*$/.test(value.slice(last.end, w.start))) break;
      if (w.charset !== first.charset) {
        // Different charset: decode what we have, but still drop the gap.
        break;
      }
      run.push(w.bytes);
      last = w;
      j++;
    }
    out += decodeCharset(run.length === 1 ? first.bytes : Buffer.concat(run), first.charset);
    pos = last.end;
    if (j < words.length && /^[ \t\r\n]*$/.test(value.slice(last.end, words[j]!.start))) {
      pos = words[j]!.start;
    }
    i = j;
  }
  out += value.slice(pos);
  return out;
}
