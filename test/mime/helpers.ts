/** Shared helpers for the MIME scanner tests. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MimeScanner, parseMessageBuffer, type MimeScannerOptions } from '../../src/mime/scanner.js';
import type { MimePart, ParsedMessage } from '../../src/mime/types.js';

/** test/fixtures/mime of the source tree; tests run from a build directory. */
export function fixturesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, 'test', 'fixtures', 'mime');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error('test/fixtures/mime not found');
}

export interface Fixture {
  name: string;
  raw: Buffer;
}

export function loadFixtures(): Fixture[] {
  const dir = fixturesDir();
  return readdirSync(dir)
    .filter((n) => n.endsWith('.eml'))
    .sort()
    .map((name) => ({ name, raw: readFileSync(join(dir, name)) }));
}

export function loadFixture(name: string): Buffer {
  return readFileSync(join(fixturesDir(), name));
}

/** Feeds `raw` in chunks of the given sizes (cycled). */
export function parseInChunks(raw: Buffer, sizes: readonly number[], options?: MimeScannerOptions): ParsedMessage {
  const s = new MimeScanner(options);
  let pos = 0;
  let k = 0;
  while (pos < raw.length) {
    const n = Math.max(1, sizes[k++ % sizes.length]!);
    s.write(raw.subarray(pos, pos + n));
    pos += n;
  }
  return s.end();
}

/** Deterministic pseudo-random numbers (xorshift32). */
export function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

export interface VisitedPart {
  /** path for ordinary parts, "<host key>/root" for the root of an embedded message. */
  key: string;
  part: MimePart;
}

export function allParts(root: MimePart): VisitedPart[] {
  const out: VisitedPart[] = [];
  const visit = (part: MimePart, key: string): void => {
    out.push({ key, part });
    for (const child of part.children ?? []) visit(child, child.path);
    if (part.message) visit(part.message.root, `${key}/root`);
  };
  visit(root, '');
  return out;
}

export function findPart(root: MimePart, key: string): MimePart {
  const hit = allParts(root).find((p) => p.key === key);
  if (!hit) throw new Error(`no part ${key}`);
  return hit.part;
}

/** "path type/subtype" for every part, embedded roots marked with "/root". */
export function outline(msg: ParsedMessage): string[] {
  return allParts(msg.root).map(({ key, part }) => `${key === '' ? '-' : key} ${part.type}/${part.subtype}`);
}

/** IMAP-style line count of a body. */
export function countLines(body: string): number {
  let n = 0;
  for (let i = 0; i < body.length; i++) if (body.charCodeAt(i) === 10) n++;
  return n + (body.length > 0 && !body.endsWith('\n') ? 1 : 0);
}

export const crlf = (...lines: string[]): string => lines.join('\r\n');

/** A parsed message with accessors for slicing parts by key (see allParts). */
export interface Inspected {
  raw: Buffer;
  msg: ParsedMessage;
  header(key: string): string;
  body(key: string): string;
  part(key: string): MimePart;
  hasWarning(re: RegExp): boolean;
}

/** Parses a latin1 string (bytes as written) or a buffer. */
export function inspect(input: string | Buffer, options?: MimeScannerOptions): Inspected {
  const raw = typeof input === 'string' ? Buffer.from(input, 'latin1') : input;
  const msg = parseMessageBuffer(raw, options);
  const slice = (key: string, from: 'headerStart' | 'bodyStart', to: 'bodyStart' | 'bodyEnd'): string => {
    const p = findPart(msg.root, key);
    return raw.toString('latin1', p[from], p[to]);
  };
  return {
    raw,
    msg,
    part: (key) => findPart(msg.root, key),
    header: (key) => slice(key, 'headerStart', 'bodyStart'),
    body: (key) => slice(key, 'bodyStart', 'bodyEnd'),
    hasWarning: (re) => msg.warnings.some((w) => re.test(w)),
  };
}
