/**
 * Wire encoding of a message in a multi-line response (RFC 1939 §3): every
 * line ends in CRLF whatever the stored message uses, a line starting with
 * "." gets one more ".", and the response ends with CRLF "." CRLF. Pure state
 * machines over chunks, so a message streams through without being held.
 */

const LF = 0x0a;
const CR = 0x0d;
const DOT = 0x2e;
const DOT_BUF = Buffer.from('.');
const CRLF_BUF = Buffer.from('\r\n');
const LF_BUF = Buffer.from('\n');
const EMPTY = Buffer.alloc(0);

export class DotStuffer {
  private atLineStart = true;
  private lastWasCR = false;

  /** Encodes one chunk; returns the input itself when nothing needs changing (the common CRLF case). */
  encode(chunk: Buffer): Buffer {
    const len = chunk.length;
    if (len === 0) return EMPTY;
    const parts: Buffer[] = [];
    // Bytes from `from` on are copied unchanged; a part is cut only where something is inserted.
    let from = 0;
    if (this.atLineStart && chunk[0] === DOT) parts.push(DOT_BUF);
    let i = 0;
    for (;;) {
      const lf = chunk.indexOf(LF, i);
      if (lf < 0) {
        this.atLineStart = false;
        this.lastWasCR = chunk[len - 1] === CR;
        break;
      }
      const crBefore = lf > 0 ? chunk[lf - 1] === CR : this.lastWasCR;
      if (!crBefore) {
        if (lf > from) parts.push(chunk.subarray(from, lf));
        parts.push(CRLF_BUF);
        from = lf + 1;
      }
      i = lf + 1;
      if (i === len) {
        this.atLineStart = true;
        this.lastWasCR = false;
        break;
      }
      if (chunk[i] === DOT) {
        if (i > from) parts.push(chunk.subarray(from, i));
        parts.push(DOT_BUF);
        from = i;
      }
    }
    if (parts.length === 0) return chunk;
    if (from < len) parts.push(chunk.subarray(from));
    return Buffer.concat(parts);
  }

  /** Completes the last line if the message did not end with one, then the terminating ".". */
  finish(): Buffer {
    if (this.atLineStart) return Buffer.from('.\r\n');
    // A trailing bare CR becomes CRLF rather than CR CR LF.
    return Buffer.concat([this.lastWasCR ? LF_BUF : CRLF_BUF, DOT_BUF, CRLF_BUF]);
  }
}

/**
 * The part of a message TOP sends (RFC 1939 §7): everything up to `headerEnd`
 * (prefix lines, header, blank line), then `bodyLines` lines of the body.
 */
export class TopLimiter {
  private pos = 0;
  private remaining: number;
  private finished = false;

  constructor(
    private readonly headerEnd: number,
    bodyLines: number,
  ) {
    this.remaining = bodyLines;
  }

  /** True once the limit is reached: the caller stops reading. */
  get done(): boolean {
    return this.finished;
  }

  /** The prefix of `chunk` that belongs to the response. */
  take(chunk: Buffer): Buffer {
    if (this.finished) return EMPTY;
    const start = this.pos;
    this.pos += chunk.length;
    const bodyFrom = Math.max(0, this.headerEnd - start);
    if (bodyFrom >= chunk.length) {
      if (this.pos === this.headerEnd && this.remaining === 0) this.finished = true;
      return chunk;
    }
    if (this.remaining === 0) {
      this.finished = true;
      return chunk.subarray(0, bodyFrom);
    }
    let i = bodyFrom;
    for (;;) {
      const lf = chunk.indexOf(LF, i);
      if (lf < 0) return chunk;
      this.remaining--;
      if (this.remaining === 0) {
        this.finished = true;
        return chunk.subarray(0, lf + 1);
      }
      i = lf + 1;
    }
  }
}

/** Encodes a whole in-memory message (tests, small responses). */
export function encodeMessage(message: Buffer): Buffer {
  const s = new DotStuffer();
  return Buffer.concat([s.encode(message), s.finish()]);
}
