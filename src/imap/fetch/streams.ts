/**
 * Byte plumbing for FETCH literals: NUL replacement for BODY[] data,
 * content-transfer decoding for BINARY[] data, and cutting a stream to a
 * `<origin.length>` window. Everything streams; nothing holds a whole body.
 */
import { Readable } from 'node:stream';
import { createTransferDecoder } from '../../mime/decode.js';

/**
 * RFC 3501 literals carry CHAR8 (%x01-ff), so NUL cannot appear in BODY[]
 * data. Like Dovecot, each NUL becomes 0x80, which keeps every size and offset
 * exact (BINARY[] sends the real bytes in a literal8 instead, RFC 3516).
 */
export function replaceNul(buf: Buffer): Buffer {
  if (buf.indexOf(0) < 0) return buf;
  const out = Buffer.from(buf);
  for (let i = out.indexOf(0); i >= 0; i = out.indexOf(0, i + 1)) out[i] = 0x80;
  return out;
}

async function* mapChunks(source: AsyncIterable<unknown>, f: (b: Buffer) => Buffer): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    const out = f(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    if (out.length > 0) yield out;
  }
}

export function nulSafe(source: Readable): Readable {
  return Readable.from(mapChunks(source, replaceNul), { objectMode: false });
}

/** The decoded octets of `source` (RFC 2045 §6: identity, base64 or quoted-printable). */
export async function* decodeChunks(source: AsyncIterable<unknown>, encoding: string): AsyncGenerator<Buffer> {
  const decoder = createTransferDecoder(encoding);
  for await (const chunk of source) {
    const out = decoder.write(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
    // Identity decoding hands the chunk back; copy nothing, but never yield empty chunks.
    if (out.length > 0) yield out;
  }
  const tail = decoder.end();
  if (tail.length > 0) yield tail;
}

/** Octets [from, to) of a chunk sequence. */
export async function* sliceChunks(source: AsyncIterable<Buffer>, from: number, to: number): AsyncGenerator<Buffer> {
  let pos = 0;
  for await (const chunk of source) {
    const start = Math.max(from - pos, 0);
    const end = Math.min(to - pos, chunk.length);
    if (end > start) yield chunk.subarray(start, end);
    pos += chunk.length;
    if (pos >= to) return;
  }
}

/** Length and NUL presence of a chunk sequence, consuming it. */
export async function measure(source: AsyncIterable<Buffer>): Promise<{ size: number; hasNul: boolean }> {
  let size = 0;
  let hasNul = false;
  for await (const chunk of source) {
    size += chunk.length;
    if (!hasNul && chunk.indexOf(0) >= 0) hasNul = true;
  }
  return { size, hasNul };
}
