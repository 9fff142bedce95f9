/** A real store on a temp dir, message ingestion, and the writer's exact bytes for FETCH values. */
import { Writable } from 'node:stream';
import { storageSchema } from '../../../src/config/sections/storage.js';
import { TokenCursor } from '../../../src/imap/proto/cursor.js';
import { readFetchAttributes, type FetchItem } from '../../../src/imap/proto/fetch.js';
import type { ImapValue } from '../../../src/imap/proto/values.js';
import { ResponseWriter } from '../../../src/imap/proto/writer.js';
import type { Renderer, Store } from '../../../src/storage/interface.js';
import { spoolBuffer } from '../../../src/storage/ingest.js';
import { SqliteStore } from '../../../src/storage/sqlite/engine.js';
import type { Mailbox, MessageRecord } from '../../../src/storage/types.js';
import { tempDir } from '../../helpers/tmp.js';

export interface TestStore {
  store: Store;
  mailbox: Mailbox;
  close(): Promise<void>;
}

let users = 0;

/** `renderers`: renditions to store with every new body (the IMAP module's, say); none by default. */
export async function openTestStore(renderers: readonly Renderer[] = []): Promise<TestStore> {
  const dir = tempDir('eider-imapfetch-');
  const sqlite = new SqliteStore(storageSchema.parse({ dataDir: dir.path }), { renderers });
  const user = await sqlite.accounts.createUser({ username: `fetch${++users}x${process.pid}`, passwordHash: null });
  const mailbox = await sqlite.mailboxes.getMailbox(user.id, 'INBOX');
  if (mailbox === null) throw new Error('no INBOX');
  return {
    store: sqlite,
    mailbox,
    close: async () => {
      await sqlite.close();
      dir.cleanup();
    },
  };
}

export interface PutOptions {
  prefix?: Buffer;
  flags?: string[];
  date?: Date;
}

/** Ingests `raw` the way delivery does (spool + scanner) and returns its full record. */
export async function putMessage(t: TestStore, raw: Buffer, options: PutOptions = {}): Promise<MessageRecord> {
  const spooled = await spoolBuffer(t.store.blobs, raw);
  try {
    const r = await t.store.messages.append(t.mailbox.id, {
      blob: spooled.blob,
      parsed: spooled.parsed,
      prefix: options.prefix,
      flags: options.flags,
      internalDate: options.date,
    });
    const [record] = await t.store.messages.getRecords(t.mailbox.id, [r.uid]);
    if (record === undefined) throw new Error('appended message not found');
    return record;
  } finally {
    await t.store.blobs.release(spooled.blob);
  }
}

/** Parses fetch attributes as a client would send them, e.g. `(UID BODY.PEEK[1.MIME])`. */
export function fetchItems(text: string): FetchItem[] {
  const c = TokenCursor.fromText(text);
  const attrs = readFetchAttributes(c);
  c.expectEnd();
  return [...attrs.items];
}

class Collect extends Writable {
  readonly chunks: Buffer[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.chunks.push(Buffer.from(chunk));
    cb();
  }
}

/**
 * What the writer sends for `(values...)` — the parenthesised FETCH data,
 * streamed literals included and checked against their announced sizes —
 * without the line's CRLF.
 */
export async function wireBytes(values: readonly ImapValue[]): Promise<Buffer> {
  const out = new Collect();
  const writer = new ResponseWriter(out, { chunkSize: 7 });
  await writer.line([values]);
  await writer.flush();
  const all = Buffer.concat(out.chunks);
  return all.subarray(0, all.length - 2);
}

export async function wireText(values: readonly ImapValue[]): Promise<string> {
  return (await wireBytes(values)).toString('latin1');
}
