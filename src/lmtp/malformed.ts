/**
 * Notices malformed message bytes while they stream in: bare LF line
 * endings (RFC 5321 §2.3.8 requires CRLF), NUL bytes, and lines longer than
 * 998 octets (RFC 5322 §2.1.1). Pure and chunk-boundary safe; the LMTP
 * layer decides (per config) whether such a message is refused.
 */
export const MAX_LINE = 998;

export interface MalformedReport {
  bareLf: number;
  nul: number;
  longLines: number;
}

export class MalformedDetector {
  private bareLf = 0;
  private nul = 0;
  private longLines = 0;
  /** Octets of the current line seen so far, its CR excluded once the LF comes. */
  private lineLength = 0;
  private lastByte = -1;

  write(chunk: Buffer): void {
    for (let i = chunk.indexOf(0); i >= 0; i = chunk.indexOf(0, i + 1)) this.nul++;
    let start = 0;
    for (let lf = chunk.indexOf(0x0a); lf >= 0; lf = chunk.indexOf(0x0a, start)) {
      const before = lf > 0 ? chunk[lf - 1]! : this.lastByte;
      const cr = before === 0x0d;
      if (!cr) this.bareLf++;
      const length = this.lineLength + (lf - start) - (cr ? 1 : 0);
      if (length > MAX_LINE) this.longLines++;
      this.lineLength = 0;
      start = lf + 1;
    }
    this.lineLength += chunk.length - start;
    if (chunk.length > 0) this.lastByte = chunk[chunk.length - 1]!;
  }

  /** Call after the last chunk: a final line without a line break counts too. */
  report(): MalformedReport {
    const pending = this.lineLength - (this.lastByte === 0x0d ? 1 : 0);
    return { bareLf: this.bareLf, nul: this.nul, longLines: this.longLines + (pending > MAX_LINE ? 1 : 0) };
  }
}

export function isMalformed(r: MalformedReport): boolean {
  return r.bareLf > 0 || r.nul > 0 || r.longLines > 0;
}

export function describeMalformed(r: MalformedReport): string {
  const parts: string[] = [];
  if (r.bareLf > 0) parts.push('bare LF');
  if (r.nul > 0) parts.push('NUL bytes');
  if (r.longLines > 0) parts.push(`lines over ${MAX_LINE} octets`);
  return parts.join(', ');
}
