import { randomBytes } from 'node:crypto';

/**
 * New opaque id: 4 bytes of seconds since epoch then 8 random bytes, as 24
 * lowercase hex characters. The shape of a MongoDB ObjectId, which WildDuck
 * API clients validate, and roughly time-ordered so listings by id are stable.
 */
export function newId(now = Date.now()): string {
  const buf = Buffer.alloc(12);
  buf.writeUInt32BE(Math.floor(now / 1000) >>> 0, 0);
  randomBytes(8).copy(buf, 4);
  return buf.toString('hex');
}

export function isId(value: string): boolean {
  return /^[0-9a-f]{24}$/.test(value);
}
