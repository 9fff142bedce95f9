/**
 * Live memory of this process for streaming tests: V8 heap plus Buffer
 * memory, after forced collections so that only what is still referenced
 * counts. Two collections: the backing stores of buffers one collection
 * frees leave the Buffer count only after a later one (with a single
 * collection the same 5 MB really held read anywhere from 5 to 13 MB).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

export function liveMemory(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}
