/** Small helpers for Node streams shared by the reader's sinks and the response writer. */
import type { Writable } from 'node:stream';

/** Resolves on 'drain'; rejects if the stream errors or closes first (so a dead socket never hangs a writer). */
export function waitForDrain(w: Writable): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const cleanup = (): void => {
      w.off('drain', onDrain);
      w.off('error', onError);
      w.off('close', onClose);
    };
    const onDrain = (): void => {
      cleanup();
      resolve();
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    const onClose = (): void => {
      cleanup();
      reject(new Error('stream closed before drain'));
    };
    w.on('drain', onDrain);
    w.on('error', onError);
    w.on('close', onClose);
  });
}
