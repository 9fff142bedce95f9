import type { Readable } from 'node:stream';
import { MimeScanner } from '../mime/scanner.js';
import type { ParsedMessage } from '../mime/types.js';
import type { BlobStore, StagedBlob } from './interface.js';

export interface Spooled {
  blob: StagedBlob;
  parsed: ParsedMessage;
  /** The root header block (blank line included, capped at HEADER_CAPTURE_LIMIT), when asked for with `captureHeader`. */
  header?: Buffer;
}

/** Header bytes kept by `captureHeader` (the MIME scanner parses no more of a header block either). */
export const HEADER_CAPTURE_LIMIT = 256 * 1024;

/**
 * Streams a message to a staged blob and through the MIME scanner in one
 * pass: nothing holds the whole message, and everything IMAP will fetch is
 * computed here, once. Call `blobs.release(result.blob)` when done with it.
 */
export async function spoolMessage(
  blobs: BlobStore,
  input: AsyncIterable<Buffer> | Iterable<Buffer> | Readable,
  options: { maxSize?: number; textLimit?: number; captureHeader?: boolean } = {},
): Promise<Spooled> {
  const scanner = new MimeScanner(options.textLimit === undefined ? {} : { textLimit: options.textLimit });
  // The delivery pipeline reads raw header fields before the blob is stored
  // (nothing can read a staged blob through BlobStore), so keep the head here.
  const head: Buffer[] = [];
  let headSize = 0;
  let capturing = options.captureHeader === true;
  let tail = Buffer.alloc(0);
  const onChunk = (chunk: Buffer): void => {
    scanner.write(chunk);
    if (!capturing) return;
    const piece = chunk.subarray(0, HEADER_CAPTURE_LIMIT - headSize);
    head.push(Buffer.from(piece));
    headSize += piece.length;
    // Stop at the blank line ending the header (LF LF or LF CR LF), looking across chunk edges.
    const probe = Buffer.concat([tail, piece]);
    if (headSize >= HEADER_CAPTURE_LIMIT || probe.indexOf('\n\n') >= 0 || probe.indexOf('\n\r\n') >= 0) capturing = false;
    tail = probe.subarray(Math.max(0, probe.length - 2));
  };
  const blob = await blobs.stage(input, { maxSize: options.maxSize, onChunk });
  try {
    const parsed = scanner.end();
    if (!options.captureHeader) return { blob, parsed };
    return { blob, parsed, header: Buffer.concat(head, headSize).subarray(0, parsed.headerLength) };
  } catch (err) {
    await blobs.release(blob);
    throw err;
  }
}

/** spoolMessage for a message already in memory (tests, small API uploads). */
export function spoolBuffer(blobs: BlobStore, raw: Buffer, options: { textLimit?: number } = {}): Promise<Spooled> {
  return spoolMessage(blobs, [raw], options);
}
