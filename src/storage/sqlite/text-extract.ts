import type { Readable } from 'node:stream';
import { decodeWords } from '../../mime/encoded-words.js';
import { parseHeaderBlock } from '../../mime/headers.js';
import { MimeScanner } from '../../mime/scanner.js';
import type { ParsedMessage } from '../../mime/types.js';
import { HEADER_CAPTURE_LIMIT } from '../ingest.js';

/** What the full-text index holds for one body: its decoded header fields and its text. */
export interface TextDoc {
  headers: string;
  body: string;
}

/** Decoded header text for the full-text index (TEXT matches headers too, RFC 3501 §6.4.4). */
export function headerSearchText(header: Buffer): string {
  return parseHeaderBlock(header)
    .map((f) => `${f.name}: ${decodeWords(f.value)}`)
    .join('\n');
}

/**
 * The indexed document of a parsed message. The body covers the whole
 * message (RFC 3501 §6.4.4): its own text, then attached messages' text and
 * filenames, so TEXT and BODY find what a reader of the message would see.
 */
export function textDoc(parsed: ParsedMessage, header: Buffer, limit: number): TextDoc {
  const { text, attachedText } = parsed.facts;
  const body = attachedText === '' ? text : `${text}\n${attachedText}`;
  return { headers: headerSearchText(header), body: body.length > limit ? body.slice(0, limit) : body };
}

/**
 * Re-derives a stored body's document from its bytes, streaming: the indexer
 * works from the blob files, so deliveries only queue a row and the text is
 * never carried through the database twice.
 */
export async function extractTextDoc(bytes: Readable, limit: number): Promise<TextDoc> {
  const scanner = new MimeScanner({ textLimit: limit });
  const head: Buffer[] = [];
  let headSize = 0;
  for await (const chunk of bytes as AsyncIterable<Buffer>) {
    scanner.write(chunk);
    if (headSize < HEADER_CAPTURE_LIMIT) {
      const piece = chunk.subarray(0, HEADER_CAPTURE_LIMIT - headSize);
      head.push(piece);
      headSize += piece.length;
    }
  }
  const parsed = scanner.end();
  return textDoc(parsed, Buffer.concat(head, headSize).subarray(0, parsed.headerLength), limit);
}
