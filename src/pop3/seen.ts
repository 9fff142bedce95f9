import type { Logger } from '../log/logger.js';
import type { MessageStore } from '../storage/interface.js';
import { toRanges } from './maildrop.js';

/** Flush after this many retrieved messages, or this long after the first pending one. */
const BATCH = 100;
const DELAY_MS = 1000;

/**
 * \Seen for retrieved messages, written in batches: one flag transaction per
 * RETR would cost a synchronous disk flush each. Flushed before the UPDATE
 * state and when the session ends however it ends (marking read is not a
 * deletion, so RFC 1939's QUIT-only rule does not apply).
 */
export class SeenMarker {
  private pending = new Set<number>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly messages: MessageStore,
    private readonly mailboxId: string,
    private readonly logger: Logger,
  ) {}

  add(uid: number): void {
    this.pending.add(uid);
    if (this.pending.size >= BATCH) void this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), DELAY_MS);
      this.timer.unref();
    }
  }

  /** Writes what is pending; never throws (a lost \Seen is logged, not fatal). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.size === 0) return this.flushing;
    const uids = [...this.pending].sort((a, b) => a - b);
    this.pending = new Set();
    this.flushing = this.flushing.then(async () => {
      try {
        await this.messages.updateFlags(this.mailboxId, toRanges(uids), { mode: 'add', flags: ['\\Seen'] });
      } catch (err) {
        this.logger.warn('pop3.seen_failed', { err, count: uids.length });
      }
    });
    return this.flushing;
  }
}
