/**
 * BINARY[part], BINARY.PEEK[part] and BINARY.SIZE[part] (RFC 3516 §4.2):
 * the part's content with its Content-Transfer-Encoding undone.
 *
 * - Leaves: 7bit/8bit/binary are sent as stored; base64 and quoted-printable
 *   are decoded while streaming. The decoded size must precede the literal,
 *   so those parts are read twice (once to count, once to send); nothing is
 *   held in memory.
 * - Composite parts (multipart, parsed message/rfc822) and BINARY[] (the whole
 *   message) are sent as stored: RFC 2045 §6.4 allows them only identity
 *   encodings. Dovecot instead rewrites every nested part to binary; see
 *   docs/IMAP-COMPAT.md.
 * - Any other encoding is `NO [UNKNOWN-CTE]` (RFC 3516 §4.3), for that part only.
 * - A part that does not exist is empty, as for BODY[].
 *
 * literal8 (`~{n}`) is used when the octets may hold NUL: decoded base64/QP
 * and `binary` parts (as Dovecot does), and identity parts found to contain NUL.
 */
import { Readable } from 'node:stream';
import type { MimePart } from '../../mime/types.js';
import type { Store } from '../../storage/interface.js';
import type { MessageRecord } from '../../storage/types.js';
import { ImapParseError } from '../errors.js';
import type { FetchPartial } from '../proto/fetch.js';
import { literal, streamLiteral, type ImapValue } from '../proto/values.js';
import { embeddedMessage, findPart, isMultipart } from './parts.js';
import { decodeChunks, measure, sliceChunks } from './streams.js';

/**
 * The part's Content-Transfer-Encoding is not one the server can decode
 * (RFC 3516 §4.3). Answered `NO [UNKNOWN-CTE]` for the whole FETCH; it is an
 * ImapParseError with status NO so that the dispatcher's existing mapping
 * applies (the command is well-formed, the server refuses it).
 */
export class UnknownCteError extends ImapParseError {
  override readonly name: string = 'UnknownCteError';
  constructor(readonly encoding: string) {
    super('Unknown Content-Transfer-Encoding', { status: 'NO', code: 'UNKNOWN-CTE', detail: encoding.slice(0, 64) });
  }
}

const DECODED = new Set(['BASE64', 'QUOTED-PRINTABLE']);
const IDENTITY = new Set(['7BIT', '8BIT', 'BINARY']);
/** Identity parts up to this size are read into memory to learn whether they hold NUL. */
const NUL_PROBE_LIMIT = 1024 * 1024;

interface BinarySource {
  /** Message offsets of the stored octets. */
  readonly start: number;
  readonly end: number;
  /** Encoding to undo, or null to send the octets as stored. */
  readonly decode: string | null;
  /** NUL possible: the literal must be a literal8. */
  readonly binary: boolean;
}

function hasBinaryEncoding(part: MimePart): boolean {
  if (part.encoding.toUpperCase() === 'BINARY') return true;
  if (part.children?.some(hasBinaryEncoding) === true) return true;
  const inner = embeddedMessage(part)?.root;
  return inner !== undefined && hasBinaryEncoding(inner);
}

/** What BINARY[part] sends, or null when the part does not exist. @throws UnknownCteError */
function binarySource(record: MessageRecord, part: readonly number[]): BinarySource | null {
  const root = record.mime;
  const p = record.prefix.length;
  if (part.length === 0) return { start: 0, end: record.size, decode: null, binary: hasBinaryEncoding(root) };
  const node = findPart(root, part);
  if (node === null) return null;
  const range = { start: p + node.bodyStart, end: p + node.bodyEnd };
  if (isMultipart(node) || embeddedMessage(node) !== null) return { ...range, decode: null, binary: hasBinaryEncoding(node) };
  const encoding = node.encoding.toUpperCase();
  if (DECODED.has(encoding)) return { ...range, decode: encoding, binary: true };
  if (IDENTITY.has(encoding)) return { ...range, decode: null, binary: encoding === 'BINARY' };
  throw new UnknownCteError(node.encoding);
}

function decodedChunks(store: Store, record: MessageRecord, src: BinarySource): AsyncIterable<Buffer> {
  const raw = store.messages.open(record, src.start, src.end);
  return src.decode === null ? decodeChunks(raw, '7BIT') : decodeChunks(raw, src.decode);
}

async function decodedSize(store: Store, record: MessageRecord, src: BinarySource): Promise<number> {
  if (src.decode === null) return src.end - src.start;
  return (await measure(decodedChunks(store, record, src))).size;
}

/** BINARY.SIZE[part]: the decoded size; 0 for a part that does not exist. @throws UnknownCteError */
export async function binarySizeValue(store: Store, record: MessageRecord, part: readonly number[]): Promise<number> {
  const src = binarySource(record, part);
  return src === null ? 0 : decodedSize(store, record, src);
}

/** BINARY[part]<partial> as a literal (literal8 when NUL is possible). @throws UnknownCteError */
export async function binaryValue(
  store: Store,
  record: MessageRecord,
  part: readonly number[],
  partial: FetchPartial | null,
): Promise<ImapValue> {
  const src = binarySource(record, part);
  if (src === null) return literal(Buffer.alloc(0));
  const total = await decodedSize(store, record, src);
  const from = partial === null ? 0 : Math.min(partial.origin, total);
  const to = partial === null ? total : Math.min(total, from + partial.length);
  if (to <= from) return literal(Buffer.alloc(0), src.binary);
  if (src.decode === null && !src.binary && to - from <= NUL_PROBE_LIMIT) {
    // 7bit/8bit should never hold NUL (RFC 2045 §2.7), but if they do, only a literal8 can carry it.
    const bytes = await store.messages.read(record, src.start + from, src.start + to);
    return literal(bytes, bytes.indexOf(0) >= 0);
  }
  if (src.decode === null) {
    return streamLiteral(to - from, () => store.messages.open(record, src.start + from, src.start + to), src.binary);
  }
  return streamLiteral(
    to - from,
    () => Readable.from(sliceChunks(decodedChunks(store, record, src), from, to), { objectMode: false }),
    true,
  );
}
