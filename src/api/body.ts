/**
 * Bounded request-body reading: JSON (RFC 8259) and form-encoded bodies
 * (WHATWG application/x-www-form-urlencoded), nothing else. Too large is
 * 413 before or while reading; malformed is 400; other types are 415.
 */
import type { IncomingMessage } from 'node:http';
import { Transform, type TransformCallback } from 'node:stream';
import { ApiError } from './errors.js';

export function tooLarge(limit: number): ApiError {
  return new ApiError(413, 'PayloadTooLarge', `Request body exceeds ${limit} bytes`);
}

/** The media type without parameters, lowercased ("" when absent). */
export function mediaType(header: string | undefined): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

function declaredLength(req: IncomingMessage): number | null {
  const value = req.headers['content-length'];
  if (value === undefined) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/**
 * Reads and drops the rest of a refused body, so the 413 reaches the client
 * (closing with unread input would reset the connection); the response
 * carries Connection: close, so nothing after it is taken for a request.
 */
export function discard(req: IncomingMessage): void {
  req.on('error', () => undefined);
  req.resume();
}

/** Reads the whole body into memory, refusing more than `limit` bytes. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = declaredLength(req);
  if (declared !== null && declared > limit) {
    discard(req);
    throw tooLarge(limit);
  }
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        discard(req);
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/** Passes bytes through, failing the stream with 413 once more than `limit` went by (for streamed uploads). */
export class LimitStream extends Transform {
  private seen = 0;

  constructor(private readonly limit: number) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.limit) done(tooLarge(this.limit));
    else done(null, chunk);
  }
}

type FormValue = string | string[] | FormObject;
interface FormObject {
  [key: string]: FormValue;
}

/**
 * Form fields to an object: repeated names and "name[]" become arrays,
 * "name[key]" one level of nesting (what PHP-style and restify clients send).
 * The object has no prototype, so "__proto__" is just a field name.
 */
export function parseForm(text: string): FormObject {
  const out: FormObject = Object.create(null) as FormObject;
  for (const [rawKey, value] of new URLSearchParams(text)) {
    const nested = /^([^[\]]+)\[([^[\]]*)\]$/.exec(rawKey);
    if (nested && nested[2] !== '') {
      const outer = nested[1]!;
      const inner = nested[2]!;
      const existing = out[outer];
      const obj: FormObject = existing && typeof existing === 'object' && !Array.isArray(existing) ? existing : (Object.create(null) as FormObject);
      obj[inner] = value;
      out[outer] = obj;
      continue;
    }
    const key = nested ? nested[1]! : rawKey;
    const existing = out[key];
    if (existing === undefined) out[key] = nested ? [value] : value;
    else if (Array.isArray(existing)) existing.push(value);
    else if (typeof existing === 'string') out[key] = [existing, value];
  }
  return out;
}

/** Decodes a read body by its Content-Type. An empty body is `undefined`. */
export function parseBody(raw: Buffer, contentType: string | undefined): unknown {
  if (raw.length === 0) return undefined;
  const type = mediaType(contentType);
  if (type === 'application/json' || type.endsWith('+json') || type === '') {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
    } catch {
      throw new ApiError(400, 'InputValidationError', 'Request body is not valid UTF-8', { body: 'is not valid UTF-8' });
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new ApiError(400, 'InputValidationError', 'Request body is not valid JSON', { body: 'is not valid JSON' });
    }
  }
  if (type === 'application/x-www-form-urlencoded') return parseForm(raw.toString('utf8'));
  throw new ApiError(415, 'UnsupportedMediaType', `Unsupported request body type: ${type}`);
}
