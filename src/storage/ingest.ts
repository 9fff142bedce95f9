import type { Readable } from 'node:stream';
import { MimeScanner } from '../mime/scanner.js';
import type { ParsedMessage } from '../mime/types.js';
import type { BlobStore, StagedBlob } from './interface.js';

export interface Spooled {
  blob: StagedBlob;
  parsed: ParsedMessage;
}

/**
 * Streams a message to a staged blob and through the MIME scanner in one
 * pass: nothing holds the whole message, and everything IMAP will fetch is
 * computed here, once. Call `blobs.release(result.blob)` when done with it.
 */
export async function spoolMessage(
  blobs: BlobStore,
  input: AsyncIterable<Buffer> | Iterable<Buffer> | Readable,
  options: { maxSize?: number; textLimit?: number } = {},
): Promise<Spooled> {
  const scanner = new MimeScanner(options.textLimit === undefined ? {} : { textLimit: options.textLimit });
  const blob = await blobs.stage(input, { maxSize: options.maxSize, onChunk: (chunk) => scanner.write(chunk) });
  try {
    return { blob, parsed: scanner.end() };
  } catch (err) {
    await blobs.release(blob);
    throw err;
  }
}

/** spoolMessage for a message already in memory (tests, small API uploads). */
export function spoolBuffer(blobs: BlobStore, raw: Buffer, options: { textLimit?: number } = {}): Promise<Spooled> {
  return spoolMessage(blobs, [raw], options);
}
