/**
 * The reader's literal policy for APPEND: a message literal above a small
 * threshold streams, as it arrives, through a PassThrough into
 * `spoolMessage()` (staged blob + MIME scan in one pass), so a 50 MB APPEND
 * holds only the stream buffers in memory. The handler later picks the spools
 * up in literal order; whatever a command did not claim (parse error, refused
 * command, dropped connection) is released after it.
 */
import { PassThrough } from 'node:stream';
import { ImapParseError } from './errors.js';
import type { LiteralDecision, LiteralRequest } from './proto/reader.js';
import { spoolMessage, type Spooled } from '../storage/ingest.js';
import type { BlobStore } from '../storage/interface.js';

/**
 * Literals up to this size are buffered even for APPEND: the mailbox name
 * may itself be a literal (only buffered literals can be parsed as strings),
 * and small messages gain nothing from a pipe.
 */
export const STREAM_THRESHOLD = 16 * 1024;

/** Literals of other commands before authentication: enough for any LOGIN, nothing to abuse. */
const PREAUTH_LITERAL_LIMIT = 8 * 1024;

export interface SpoolPolicyContext {
  /** Whether APPEND would be accepted in the current state (the dispatcher's rule). */
  appendAllowed(): boolean;
  authenticated(): boolean;
  /** A refusal to send before the literal is read (e.g. OVERQUOTA), or null. */
  precheck(size: number): Promise<ImapParseError | null>;
}

export class AppendSpools {
  private readonly pending = new Map<number, Promise<Spooled>>();

  constructor(
    private readonly blobs: BlobStore,
    private readonly options: { maxSize: number; textLimit: number },
    private readonly ctx: SpoolPolicyContext,
  ) {}

  async decide(req: LiteralRequest): Promise<LiteralDecision> {
    if (!this.ctx.authenticated() && req.size > PREAUTH_LITERAL_LIMIT) {
      return { action: 'reject', error: new ImapParseError('Literal too large before authentication') };
    }
    if (req.command !== 'APPEND' || req.size <= STREAM_THRESHOLD) return { action: 'buffer' };
    if (!this.ctx.appendAllowed()) {
      return { action: 'reject', error: new ImapParseError('APPEND is not allowed in this state') };
    }
    const refusal = await this.ctx.precheck(req.size);
    if (refusal !== null) return { action: 'reject', error: refusal };
    const sink = new PassThrough({ highWaterMark: 64 * 1024 });
    const spool = spoolMessage(this.blobs, sink, { maxSize: this.options.maxSize, textLimit: this.options.textLimit });
    // Observed by take() or releaseAll(); this only keeps an early failure from being "unhandled".
    spool.catch(() => undefined);
    this.pending.set(req.index, spool);
    return { action: 'stream', sink };
  }

  /**
   * The spool of the command's next streamed literal, in literal order; the
   * caller must release its blob. Only message literals are ever streamed
   * (nothing else in APPEND is a literal above the threshold), so the n-th
   * streamed literal is the n-th streamed message.
   */
  takeNext(): Promise<Spooled> | null {
    const first = Math.min(...this.pending.keys());
    const spool = this.pending.get(first) ?? null;
    this.pending.delete(first);
    return spool;
  }

  /** Releases every spool the last command did not take. */
  async releaseAll(): Promise<void> {
    const left = [...this.pending.values()];
    this.pending.clear();
    for (const spool of left) {
      try {
        const { blob } = await spool;
        await this.blobs.release(blob);
      } catch {
        // The spool failed (aborted literal): nothing was staged.
      }
    }
  }
}
