/**
 * Streaming Content-Transfer-Encoding decoders (RFC 2045 §6). Input may be
 * cut anywhere, even inside "=4" + "1" or a base64 quantum; output is
 * identical however the input is split. Hard line breaks come out as a bare
 * LF: the decoded text feeds search and previews, not byte-exact exports.
 * Decoders never retain the buffers they are given.
 */

export interface TransferDecoder {
  write(data: Buffer): Buffer;
  end(): Buffer;
}

const EMPTY = Buffer.alloc(0);

/** 7bit, 8bit, binary, and encodings we do not know (RFC 2045 §6.4: treat as opaque). */
export class IdentityDecoder implements TransferDecoder {
  write(data: Buffer): Buffer {
    return data;
  }
  end(): Buffer {
    return EMPTY;
  }
}

const B64 = new Int16Array(256).fill(-1);
'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.split('').forEach((c, i) => {
  B64[c.charCodeAt(0)] = i;
});
// base64url letters turn up in hand-made messages; they cannot mean anything else.
B64[0x2d] = 62;
B64[0x5f] = 63;

/**
 * Characters outside the alphabet are skipped (§6.8). "=" ends the current
 * quantum; decoding resumes after it, since concatenated base64 bodies are
 * a known encoder habit.
 */
export class Base64Decoder implements TransferDecoder {
  private acc = 0;
  private n = 0;

  write(data: Buffer): Buffer {
    const out = Buffer.allocUnsafe(Math.floor(((data.length + 4) * 3) / 4) + 3);
    let o = 0;
    let acc = this.acc;
    let n = this.n;
    for (let i = 0; i < data.length; i++) {
      const c = data[i]!;
      const v = B64[c]!;
      if (v < 0) {
        if (c === 0x3d) {
          o = this.flushPartial(out, o, acc, n);
          acc = 0;
          n = 0;
        }
        continue;
      }
      acc = (acc << 6) | v;
      if (++n === 4) {
        out[o++] = (acc >> 16) & 0xff;
        out[o++] = (acc >> 8) & 0xff;
        out[o++] = acc & 0xff;
        acc = 0;
        n = 0;
      }
    }
    this.acc = acc;
    this.n = n;
    return out.subarray(0, o);
  }

  end(): Buffer {
    const out = Buffer.allocUnsafe(3);
    const o = this.flushPartial(out, 0, this.acc, this.n);
    this.acc = 0;
    this.n = 0;
    return out.subarray(0, o);
  }

  private flushPartial(out: Buffer, o: number, acc: number, n: number): number {
    if (n === 2) {
      out[o++] = (acc >> 4) & 0xff;
    } else if (n === 3) {
      out[o++] = (acc >> 10) & 0xff;
      out[o++] = (acc >> 2) & 0xff;
    }
    return o;
  }
}

function hex(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57; // lowercase: not allowed, widely sent
  return -1;
}

const Q = {
  Text: 0,
  /** After "=". */
  Eq: 1,
  /** After "=" and one hex digit (kept in `hi`). */
  EqHex: 2,
  /** After "=" and whitespace: a soft break with trailing blanks, or a stray "=". */
  EqWs: 3,
} as const;
type QState = (typeof Q)[keyof typeof Q];

/** Trailing blanks held back per line; beyond this they cannot be line-end padding worth dropping. */
const MAX_PENDING_WS = 256;

/**
 * Quoted-printable (RFC 2045 §6.7). Trailing whitespace before a line break
 * is dropped (rule 3), "=" at the end of a line is a soft break (rule 5),
 * and malformed "=" sequences are kept literally, as §6.7 suggests.
 */
export class QuotedPrintableDecoder implements TransferDecoder {
  private state: QState = Q.Text;
  private hi = 0;
  private ws: number[] = [];
  /** A CR in text, held until the next octet shows whether it ends the line (CRLF: blanks before it are dropped). */
  private cr = false;

  write(data: Buffer): Buffer {
    const out = Buffer.allocUnsafe(data.length + this.ws.length + 4);
    let o = 0;
    for (let i = 0; i < data.length; i++) {
      const c = data[i]!;
      if (this.cr) {
        this.cr = false;
        if (c === 0x0a) {
          this.ws.length = 0;
          out[o++] = 0x0d;
          out[o++] = 0x0a;
          continue;
        }
        o = this.flushWs(out, o);
        out[o++] = 0x0d;
      }
      switch (this.state) {
        case Q.Text:
          if (c === 0x3d) {
            o = this.flushWs(out, o);
            this.state = Q.Eq;
          } else if (c === 0x20 || c === 0x09) {
            if (this.ws.length >= MAX_PENDING_WS) o = this.flushWs(out, o);
            this.ws.push(c);
          } else if (c === 0x0a) {
            this.ws.length = 0;
            out[o++] = 0x0a;
          } else if (c === 0x0d) {
            // The CR of a CRLF (raw part bytes, as BINARY[] feeds them) or a lone CR, which is data.
            this.cr = true;
          } else {
            o = this.flushWs(out, o);
            out[o++] = c;
          }
          break;
        case Q.Eq:
          if (hex(c) >= 0) {
            this.hi = c;
            this.state = Q.EqHex;
          } else if (c === 0x0a) {
            this.state = Q.Text;
          } else if (c === 0x20 || c === 0x09) {
            this.ws.push(c);
            this.state = Q.EqWs;
          } else if (c === 0x0d) {
            // "=\r" before the LF: still the soft break.
          } else {
            out[o++] = 0x3d;
            this.state = Q.Text;
            i--;
          }
          break;
        case Q.EqHex:
          if (hex(c) >= 0) {
            out[o++] = (hex(this.hi) << 4) | hex(c);
            this.state = Q.Text;
          } else {
            out[o++] = 0x3d;
            out[o++] = this.hi;
            this.state = Q.Text;
            i--;
          }
          break;
        case Q.EqWs:
          if (c === 0x20 || c === 0x09) {
            if (this.ws.length < MAX_PENDING_WS) this.ws.push(c);
          } else if (c === 0x0a) {
            this.ws.length = 0;
            this.state = Q.Text;
          } else if (c !== 0x0d) {
            out[o++] = 0x3d;
            o = this.flushWs(out, o);
            this.state = Q.Text;
            i--;
          }
          break;
      }
    }
    return out.subarray(0, o);
  }

  end(): Buffer {
    // Trailing blanks and a final "=" belong to the line break the boundary took.
    let out = this.state === Q.EqHex ? Buffer.from([0x3d, this.hi]) : EMPTY;
    if (this.cr) out = Buffer.from([...this.ws, 0x0d]);
    this.state = Q.Text;
    this.ws.length = 0;
    this.cr = false;
    return out;
  }

  private flushWs(out: Buffer, o: number): number {
    for (const c of this.ws) out[o++] = c;
    this.ws.length = 0;
    return o;
  }
}

export function createTransferDecoder(encoding: string): TransferDecoder {
  switch (encoding.toUpperCase()) {
    case 'BASE64':
      return new Base64Decoder();
    case 'QUOTED-PRINTABLE':
      return new QuotedPrintableDecoder();
    default:
      return new IdentityDecoder();
  }
}
