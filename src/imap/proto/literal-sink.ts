/**
 * Destinations for literals the owner wants streamed rather than buffered
 * (APPEND spooling a message to disk). The reader awaits every write, so a
 * slow sink stops the reader, which in turn stops reading from the socket.
 */
import { Writable } from 'node:stream';
import { waitForDrain } from './stream-util.js';

/** Callback form of a sink; `write` may return a promise to apply backpressure. */
export interface LiteralChunkSink {
  write(chunk: Buffer): void | Promise<void>;
  /** Called once after the last octet; awaited before the command is delivered. */
  end?(): void | Promise<void>;
  /** Called instead of `end` when the literal is not completed (connection closed or reader closed). */
  abort?(reason: Error): void;
}

export type LiteralSink = Writable | LiteralChunkSink;

/** Writes one chunk and resolves when the sink can take more. */
export async function sinkWrite(sink: LiteralSink, chunk: Buffer): Promise<void> {
  if (sink instanceof Writable) {
    if (sink.destroyed || sink.writableEnded) throw new Error('literal sink is no longer writable');
    if (!sink.write(chunk)) await waitForDrain(sink);
    return;
  }
  await sink.write(chunk);
}

/** Ends the sink and, for a Writable, waits until it has flushed (`finish`). */
export async function sinkEnd(sink: LiteralSink): Promise<void> {
  if (sink instanceof Writable) {
    await new Promise<void>((resolve, reject) => {
      sink.end((err?: Error | null) => (err ? reject(err) : resolve()));
    });
    return;
  }
  await sink.end?.();
}

/**
 * A Writable is destroyed without an error (so an owner without an 'error'
 * listener does not crash the process); it sees 'close' without 'finish'.
 */
export function sinkAbort(sink: LiteralSink, reason: Error): void {
  if (sink instanceof Writable) {
    if (!sink.destroyed) sink.destroy();
    return;
  }
  sink.abort?.(reason);
}
