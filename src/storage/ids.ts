import { randomBytes } from 'node:crypto';

/** Five random bytes per process and a counter from a random start, as in a MongoDB ObjectId. */
const PROCESS_PART = randomBytes(5);
let counter = randomBytes(3).readUIntBE(0, 3);

/**
 * New opaque id: 4 bytes of seconds since epoch, 5 bytes fixed per process,
 * a 3-byte counter, as 24 lowercase hex characters. The shape of a MongoDB
 * ObjectId, which WildDuck API clients validate; time-ordered, and within a
 * process ascending in creation order for ids of the same second (the
 * counter wraps after 16.7 million), so listings ordered by (created, id)
 * keep the order entries were made in even when they share a millisecond.
 */
export function newId(now = Date.now()): string {
  const buf = Buffer.alloc(12);
  buf.writeUInt32BE(Math.floor(now / 1000) >>> 0, 0);
  PROCESS_PART.copy(buf, 4);
  counter = (counter + 1) & 0xffffff;
  buf.writeUIntBE(counter, 9, 3);
  return buf.toString('hex');
}

export function isId(value: string): boolean {
  return /^[0-9a-f]{24}$/.test(value);
}
