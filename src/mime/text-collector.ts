/**
 * Collects the decoded bytes of one text part for MessageFacts.text, within
 * a byte budget shared by the whole message, and turns them into a string
 * when the part ends. Charset decoding waits for the end of the part so that
 * multi-byte sequences cut by line or chunk boundaries decode correctly and
 * so that unlabelled 8-bit text can be sniffed as UTF-8 or not.
 */
import { ByteBuffer } from './byte-buffer.js';
import { decodeCharset } from './charset.js';
import { createTransferDecoder, type TransferDecoder } from './decode.js';

export interface TextBudget {
  remaining: number;
  truncated: boolean;
}

export type TextKind = 'plain' | 'html';

/** <meta charset=...> or <meta http-equiv content="...; charset=..."> near the top of an HTML part. */
function sniffHtmlCharset(head: Buffer): string | null {
  const m = /<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)/i.exec(head.toString('latin1', 0, Math.min(head.length, 2048)));
  return m ? m[1]! : null;
}

export class TextCollector {
  private readonly decoder: TransferDecoder;
  private readonly bytes: ByteBuffer;
  private truncated = false;

  constructor(
    readonly kind: TextKind,
    encoding: string,
    private readonly charset: string | null,
    private readonly budget: TextBudget,
  ) {
    this.decoder = createTransferDecoder(encoding);
    this.bytes = new ByteBuffer(Math.max(budget.remaining, 0), 1024);
  }

  write(data: Buffer): void {
    if (data.length === 0) return;
    if (this.budget.remaining <= 0) {
      this.markTruncated();
      return;
    }
    this.keep(this.decoder.write(data));
  }

  finish(): string {
    if (this.budget.remaining > 0) this.keep(this.decoder.end());
    const raw = this.bytes.view();
    const charset = this.charset ?? (this.kind === 'html' ? sniffHtmlCharset(raw) : null);
    let text = decodeCharset(raw, charset).replace(/\r\n?/g, '\n');
    // A multi-byte character cut by the budget decodes to U+FFFD; drop it.
    if (this.truncated) {
      let end = text.length;
      while (end > 0 && text.charCodeAt(end - 1) === 0xfffd) end--;
      text = text.slice(0, end);
    }
    this.bytes.reset();
    return text;
  }

  private keep(decoded: Buffer): void {
    if (decoded.length === 0) return;
    const kept = this.bytes.append(decoded, 0, Math.min(decoded.length, this.budget.remaining));
    this.budget.remaining -= kept;
    if (kept < decoded.length) this.markTruncated();
  }

  private markTruncated(): void {
    this.truncated = true;
    this.budget.truncated = true;
  }
}
