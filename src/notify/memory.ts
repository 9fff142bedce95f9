import type { Logger } from '../log/logger.js';
import type { ChangeEvent } from '../storage/types.js';
import { LocalFanout, type ChangeListener, type Notifier } from './notifier.js';

/** In-process notifier: the default, for one eider process. */
export class MemoryNotifier implements Notifier {
  private readonly fanout: LocalFanout;

  constructor(logger: Logger) {
    this.fanout = new LocalFanout((err) => logger.error('notify.listener_failed', { err }));
  }

  publish(events: readonly ChangeEvent[]): void {
    this.fanout.deliverAll(events);
  }

  subscribe(userId: string, listener: ChangeListener): () => void {
    this.fanout.add(userId, listener);
    return () => void this.fanout.remove(userId, listener);
  }

  onResync(listener: () => void): () => void {
    return this.fanout.addResync(listener);
  }

  async close(): Promise<void> {
    this.fanout.clear();
  }
}
