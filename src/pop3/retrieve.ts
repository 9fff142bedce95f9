import type { Store } from '../storage/interface.js';
import type { MessageRecord } from '../storage/types.js';
import { DotStuffer, TopLimiter } from './encode.js';
import { Pop3Error } from './errors.js';
import type { DropEntry, Maildrop } from './maildrop.js';

/** Bytes gathered before a write: a small message leaves in one write, +OK line and terminator included. */
const WRITE_BATCH = 64 * 1024;

/**
 * Up to this size a message is read in one call rather than streamed: no
 * more memory than the blob store's stream chunk (256 KB), fewer event-loop
 * hops. Larger messages always stream.
 */
const SMALL = 128 * 1024;

/** Where the response goes. */
export interface ResponseOutput {
  /** Called once, just before the first byte of the answer (the dispatcher can no longer send -ERR after it). */
  begin(): void;
  /**
   * Writes the parts together (one writev, no copy); resolves when the client
   * has taken them (backpressure). False when the connection is gone.
   */
  write(parts: Buffer[]): Promise<boolean>;
}

interface Loaded {
  record: MessageRecord | null;
  /** The bytes [0, end) when small enough to read at once; null to stream. */
  bytes: Buffer | null;
}

async function* single(chunk: Buffer): AsyncGenerator<Buffer> {
  if (chunk.length > 0) yield chunk;
}

/**
 * RETR and TOP for one session. Messages stream through the TOP limiter and
 * the dot-stuffer (RFC 1939 §3, §7); the first bytes are read before
 * answering, so a storage failure still becomes -ERR rather than a broken
 * multi-line response.
 */
export class MessageSender {
  constructor(private readonly store: Store) {}

  private async load(mailboxId: string, uid: number, lines: number | null): Promise<Loaded> {
    // Only the blob, prefix, size and header are read here; the parsed structures stay in the database.
    const [record] = await this.store.messages.getRecords(mailboxId, [uid], { envelope: false, mime: false });
    if (!record) return { record: null, bytes: null };
    const end = this.end(record, lines);
    return { record, bytes: end <= SMALL ? await this.store.messages.read(record, 0, end) : null };
  }

  private end(record: MessageRecord, lines: number | null): number {
    return lines === 0 ? Math.min(record.prefix.length + record.header.length, record.size) : record.size;
  }

  /** Resolves false when the client went away before the whole answer was written. */
  async send(drop: Maildrop, entry: DropEntry, lines: number | null, out: ResponseOutput): Promise<boolean> {
    const { record, bytes } = await this.load(drop.mailboxId, entry.uid, lines);
    if (!record) {
      drop.markGone(entry.uid);
      throw new Pop3Error('Message was removed by another session');
    }
    return this.write(record, bytes, lines, out);
  }

  private async write(record: MessageRecord, bytes: Buffer | null, lines: number | null, out: ResponseOutput): Promise<boolean> {
    // The root header block follows the per-copy prefix; TOP counts body lines after it.
    const limiter = lines === null ? null : new TopLimiter(record.prefix.length + record.header.length, lines);
    const stream = bytes ? null : this.store.messages.open(record, 0, this.end(record, lines));
    try {
      const iterator: AsyncIterator<Buffer> = stream ? stream[Symbol.asyncIterator]() : single(bytes!);
      let next = await iterator.next();
      out.begin();
      const stuffer = new DotStuffer();
      let batch: Buffer[] = [Buffer.from(lines === null ? `+OK ${record.size} octets\r\n` : '+OK Top of message follows\r\n')];
      let batched = batch[0]!.length;
      while (!next.done) {
        const encoded = stuffer.encode(limiter ? limiter.take(next.value) : next.value);
        batch.push(encoded);
        batched += encoded.length;
        if (batched >= WRITE_BATCH) {
          if (!(await out.write(batch))) return false;
          batch = [];
          batched = 0;
        }
        if (limiter?.done) break;
        next = await iterator.next();
      }
      batch.push(stuffer.finish());
      return await out.write(batch);
    } finally {
      stream?.destroy();
    }
  }
}
