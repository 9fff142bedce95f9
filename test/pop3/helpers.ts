import type { Logger } from '../../src/log/logger.js';
import { spoolBuffer } from '../../src/storage/ingest.js';
import type { AppendResult, Store } from '../../src/storage/interface.js';
import { startTestApp, type ConfigOverrides, type TestApp } from '../helpers/app.js';
import { textMessage } from '../helpers/messages.js';
import { Transcript } from '../helpers/transcript.js';

let serial = 0;

/** A user name no other test in this process uses. */
export function uniqueName(prefix = 'u'): string {
  serial++;
  return `${prefix}${serial}x${process.pid}`;
}

export function startPop3App(overrides: ConfigOverrides = {}, logger?: Logger): Promise<TestApp> {
  return startTestApp(['pop3'], overrides, logger);
}

/** Stores one message the way delivery does (spool, append, release). */
export async function putMessage(
  store: Store,
  mailboxId: string,
  raw: Buffer,
  options: { flags?: string[]; prefix?: Buffer } = {},
): Promise<AppendResult> {
  const spooled = await spoolBuffer(store.blobs, raw);
  try {
    return await store.messages.append(mailboxId, { blob: spooled.blob, parsed: spooled.parsed, flags: options.flags, prefix: options.prefix });
  } finally {
    await store.blobs.release(spooled.blob);
  }
}

export interface Seeded {
  name: string;
  password: string;
  userId: string;
  inboxId: string;
  uids: number[];
}

/** A fresh user whose INBOX holds `messages` (default: three text messages). */
export async function seedUser(app: TestApp, messages: Buffer[] = [textMessage(), textMessage(), textMessage()]): Promise<Seeded> {
  const name = uniqueName();
  const password = `pw-${name}`;
  const userId = await app.addUser(name, password);
  const store = app.app.ctx.store;
  const inbox = await store.mailboxes.getMailbox(userId, 'INBOX');
  if (!inbox) throw new Error('no INBOX');
  const uids: number[] = [];
  for (const m of messages) uids.push((await putMessage(store, inbox.id, m)).uid);
  return { name, password, userId, inboxId: inbox.id, uids };
}

/** Connects and reads the greeting. */
export async function connectPop3(port: number, options: { host?: string; tls?: boolean } = {}): Promise<Transcript> {
  const c = await Transcript.connect(port, options);
  await c.expect(/^\+OK /);
  return c;
}

/** USER/PASS; resolves with the +OK line. */
export async function loginPop3(c: Transcript, user: Pick<Seeded, 'name' | 'password'>): Promise<string> {
  c.send(`USER ${user.name}`);
  await c.expect(/^\+OK/);
  c.send(`PASS ${user.password}`);
  return c.expect(/^\+OK/);
}

export async function loggedIn(app: TestApp, user: Seeded): Promise<Transcript> {
  const c = await connectPop3(app.port('pop3'));
  await loginPop3(c, user);
  return c;
}

/** The lines of a multi-line body after its +OK line, up to (not including) the "." terminator; still dot-stuffed. */
export async function body(c: Transcript): Promise<string[]> {
  const lines = await c.until(/^\.$/);
  return lines.slice(0, -1);
}

/** The next `expected.length` bytes as latin1 text, to compare byte for byte (CRLF and stuffing included). */
export async function rawBytes(c: Transcript, expected: string): Promise<string> {
  return (await c.bytes(Buffer.byteLength(expected, 'latin1'))).toString('latin1');
}

export function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}
