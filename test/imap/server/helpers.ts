/** Shared helpers for the IMAP server's transcript tests. */
import { spoolBuffer } from '../../../src/storage/ingest.js';
import type { Store } from '../../../src/storage/interface.js';
import { startTestApp, type ConfigOverrides, type TestApp } from '../../helpers/app.js';
import { textMessage } from '../../helpers/messages.js';
import { Transcript } from '../../helpers/transcript.js';

export interface Reply {
  /** Untagged and continuation lines before the tagged one. */
  untagged: string[];
  /** The tagged line. */
  tagged: string;
  status: 'OK' | 'NO' | 'BAD';
}

export class ImapClient {
  private n = 0;
  constructor(readonly t: Transcript) {}

  nextTag(): string {
    return `t${++this.n}`;
  }

  /** Sends `tag line` and reads through the tagged response. */
  async cmd(line: string, tag = this.nextTag()): Promise<Reply> {
    this.t.send(`${tag} ${line}`);
    return this.reply(tag);
  }

  /** Reads through the tagged response of `tag`. */
  async reply(tag: string): Promise<Reply> {
    const lines = await this.t.until(new RegExp(`^${tag} (OK|NO|BAD)\\b`));
    const tagged = lines.pop() ?? '';
    const status = (/^\S+ (OK|NO|BAD)/.exec(tagged)?.[1] ?? 'BAD') as Reply['status'];
    return { untagged: lines, tagged, status };
  }

  /** `cmd` that must succeed. */
  async ok(line: string): Promise<Reply> {
    const r = await this.cmd(line);
    if (r.status !== 'OK') throw new Error(`${line} → ${r.tagged}\n${r.untagged.join('\n')}`);
    return r;
  }

  close(): void {
    this.t.close();
  }
}

export const PASSWORD = 'secret pass';

/** One user of the test app, with helpers that act as that user. */
export interface ImapUser {
  readonly name: string;
  readonly id: string;
  connect(options?: { login?: boolean; tls?: boolean }): Promise<ImapClient>;
  /** Stores a message directly (as a delivery would) and returns its UID. */
  deliver(path?: string, raw?: Buffer, flags?: string[]): Promise<number>;
  mailboxId(path: string): Promise<string>;
}

export interface ImapFixture {
  app: TestApp;
  store: Store;
  /** A fresh user, so each test starts from a known mailbox state. */
  user(options?: { quota?: number }): Promise<ImapUser>;
  stop(): Promise<void>;
}

let users = 0;

/** Connects, reads the greeting, optionally logs in. */
export async function connectImap(port: number, login: { user: string; password: string } | null, tls = false): Promise<ImapClient> {
  const t = await Transcript.connect(port, { tls });
  await t.expect(/^\* OK \[CAPABILITY /);
  const client = new ImapClient(t);
  if (login) await client.ok(`LOGIN ${login.user} "${login.password}"`);
  return client;
}

export async function imapFixture(overrides: ConfigOverrides = {}): Promise<ImapFixture> {
  const app = await startTestApp(['imap'], overrides);
  const store = app.app.ctx.store;
  return {
    app,
    store,
    async user(options = {}) {
      const name = `user${++users}`;
      const id = await app.addUser(name, PASSWORD, options.quota === undefined ? {} : { quota: options.quota });
      const mailboxId = async (path: string): Promise<string> => {
        const mb = await store.mailboxes.getMailbox(id, path);
        if (!mb) throw new Error(`no mailbox ${path}`);
        return mb.id;
      };
      return {
        name,
        id,
        mailboxId,
        connect: (o = {}) => connectImap(app.port('imap', o.tls ?? false), o.login === false ? null : { user: name, password: PASSWORD }, o.tls),
        async deliver(path = 'INBOX', raw = textMessage(), flags: string[] = []) {
          const spooled = await spoolBuffer(store.blobs, raw);
          try {
            return (await store.messages.append(await mailboxId(path), { blob: spooled.blob, parsed: spooled.parsed, flags })).uid;
          } finally {
            await store.blobs.release(spooled.blob);
          }
        },
      };
    },
    stop: () => app.stop(),
  };
}

/** Lines matching a pattern. */
export function grep(lines: readonly string[], pattern: RegExp): string[] {
  return lines.filter((l) => pattern.test(l));
}
