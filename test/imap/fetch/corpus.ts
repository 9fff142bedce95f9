/**
 * The FETCH comparison corpus: the MIME fixtures shared with the scanner tests
 * (test/fixtures/mime) plus IMAP-only additions (test/fixtures/imap/corpus),
 * and Dovecot's recorded answers for them (test/fixtures/imap/dovecot, written
 * by bench/record-dovecot-answers.ts).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function repoDir(...parts: string[]): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const candidate = join(dir, ...parts);
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error(`${parts.join('/')} not found`);
}

export interface CorpusMessage {
  /** File name without `.eml`, e.g. `05-attached-rfc822`. */
  name: string;
  raw: Buffer;
}

export function loadCorpus(): CorpusMessage[] {
  const dirs = [repoDir('test', 'fixtures', 'mime'), repoDir('test', 'fixtures', 'imap', 'corpus')];
  return dirs
    .flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith('.eml')).map((f) => ({ name: f.slice(0, -4), raw: readFileSync(join(dir, f)) })))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export interface RecordedAnswer {
  item: string;
  status: string;
  text: string;
  response: string | null;
  encoding: 'utf8' | 'base64';
}

export interface RecordedMessage {
  message: string;
  server: string;
  recorded: string;
  answers: RecordedAnswer[];
}

function isRecordedMessage(v: unknown): v is RecordedMessage {
  return typeof v === 'object' && v !== null && 'answers' in v && Array.isArray(v.answers) && 'message' in v;
}

export function loadRecorded(name: string): RecordedMessage {
  const parsed: unknown = JSON.parse(readFileSync(join(repoDir('test', 'fixtures', 'imap', 'dovecot'), `${name}.json`), 'utf8'));
  if (!isRecordedMessage(parsed)) throw new Error(`${name}.json: not a recorded answer file`);
  return parsed;
}

/** The `###` headings of docs/IMAP-COMPAT.md, which every listed difference must name. */
export function compatHeadings(): string[] {
  const text = readFileSync(join(repoDir('docs'), 'IMAP-COMPAT.md'), 'utf8');
  return [...text.matchAll(/^### (.+)$/gm)].map((m) => (m[1] ?? '').trim());
}

export function answerBytes(a: RecordedAnswer): Buffer | null {
  if (a.response === null) return null;
  return Buffer.from(a.response, a.encoding === 'base64' ? 'base64' : 'utf8');
}
