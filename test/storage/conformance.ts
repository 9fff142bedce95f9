/**
 * The storage conformance suite: written against the Store interface only,
 * run against every engine (see sqlite.test.ts). A new engine must pass it
 * unchanged.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AlreadyExistsError, CannotError, InvalidError, MetadataLimitError, NotFoundError, OverQuotaError } from '../../src/storage/errors.js';
import type { Store } from '../../src/storage/interface.js';
import { spoolBuffer } from '../../src/storage/ingest.js';
import type { ChangeEvent, Mailbox, User } from '../../src/storage/types.js';
import { multipartMessage, textMessage } from '../helpers/messages.js';

export interface EngineHarness {
  store: Store;
  /** Events passed to the engine's post-commit hook. */
  events: ChangeEvent[];
  cleanup(): Promise<void>;
  /**
   * Finishes work the engine does after a commit rather than in it (the
   * SQLite engine's full-text indexer). Search tests check their answers
   * before and after it: a delivery must be searchable either way.
   */
  settle?(): Promise<void>;
}

export type EngineFactory = (options?: { archiveRetention?: number }) => Promise<EngineHarness>;

let userSeq = 0;
export async function newUser(store: Store, extra: { quota?: number; address?: string } = {}): Promise<User> {
  userSeq++;
  return store.accounts.createUser({
    username: `user${userSeq}x${process.pid}`,
    passwordHash: null,
    address: extra.address ?? `user${userSeq}x${process.pid}@example.com`,
    quota: extra.quota,
  });
}

export async function inbox(store: Store, user: User): Promise<Mailbox> {
  const box = await store.mailboxes.getMailbox(user.id, 'INBOX');
  assert.ok(box);
  return box;
}

export async function put(store: Store, mailbox: Mailbox, raw: Buffer, options: { flags?: string[]; prefix?: Buffer; date?: Date } = {}) {
  const spooled = await spoolBuffer(store.blobs, raw);
  try {
    return await store.messages.append(mailbox.id, {
      blob: spooled.blob,
      parsed: spooled.parsed,
      flags: options.flags,
      prefix: options.prefix,
      internalDate: options.date,
    });
  } finally {
    await store.blobs.release(spooled.blob);
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(c));
  return Buffer.concat(chunks);
}

export function runConformance(engine: string, factory: EngineFactory): void {
  describe(`storage conformance [${engine}]`, () => {
    let h: EngineHarness;
    let store: Store;
    before(async () => {
      h = await factory();
      store = h.store;
    });
    after(async () => h.cleanup());

    describe('accounts and addresses', () => {
      it('creates a user with the default mailboxes and their special-use attributes', async () => {
        const user = await newUser(store);
        const boxes = await store.mailboxes.listMailboxes(user.id);
        const byPath = new Map(boxes.map((b) => [b.path, b.specialUse]));
        assert.deepEqual([...byPath.keys()].sort(), ['Archive', 'Drafts', 'INBOX', 'Junk', 'Sent', 'Trash']);
        assert.equal(byPath.get('Drafts'), '\\Drafts');
        assert.equal(byPath.get('Sent'), '\\Sent');
        assert.equal(byPath.get('Junk'), '\\Junk');
        assert.equal(byPath.get('Trash'), '\\Trash');
        assert.equal(byPath.get('Archive'), '\\Archive');
        for (const b of boxes) assert.ok(b.uidValidity > 0 && b.uidNext === 1);
        assert.equal(new Set(boxes.map((b) => b.uidValidity)).size, boxes.length, 'UIDVALIDITY differs per mailbox');
      });

      it('refuses duplicate usernames and addresses, case-insensitively', async () => {
        const user = await newUser(store);
        await assert.rejects(store.accounts.createUser({ username: user.username.toUpperCase(), passwordHash: null }), AlreadyExistsError);
        await assert.rejects(
          store.accounts.createUser({ username: `other${user.username}`, passwordHash: null, address: user.address!.toUpperCase() }),
          AlreadyExistsError,
        );
        const again = await store.accounts.getUserByUsername(`other${user.username}`);
        assert.equal(again, null, 'a failed create leaves nothing behind');
      });

      it('rejects malformed usernames and addresses', async () => {
        await assert.rejects(store.accounts.createUser({ username: 'bad name', passwordHash: null }), InvalidError);
        await assert.rejects(store.accounts.createUser({ username: 'okname1', passwordHash: null, address: 'not-an-address' }), InvalidError);
      });

      it('finds users for login by username or any address, IDN either way', async () => {
        const user = await store.accounts.createUser({ username: `idn${process.pid}`, passwordHash: null, address: `Jõgi@xn--mller-kva.example` });
        assert.equal(user.address, 'Jõgi@müller.example');
        await store.accounts.addAddress(user.id, 'alias@Example.NET');
        assert.equal((await store.accounts.findUserForLogin(`IDN${process.pid}`))?.id, user.id);
        assert.equal((await store.accounts.findUserForLogin('jõgi@MÜLLER.example'))?.id, user.id);
        assert.equal((await store.accounts.findUserForLogin('JÕGI@xn--mller-kva.example'))?.id, user.id);
        assert.equal((await store.accounts.findUserForLogin('alias@example.net'))?.id, user.id);
        assert.equal(await store.accounts.findUserForLogin('nobody@example.net'), null);
      });

      it('manages the main address and refuses to delete it', async () => {
        const user = await newUser(store);
        const alias = await store.accounts.addAddress(user.id, `second${user.username}@example.com`);
        assert.equal(alias.main, false);
        const main = (await store.accounts.listAddresses(user.id)).find((a) => a.main)!;
        await assert.rejects(store.accounts.deleteAddress(user.id, main.id), CannotError);
        await store.accounts.setMainAddress(user.id, alias.id);
        assert.equal((await store.accounts.getUser(user.id))?.address, alias.address);
        await store.accounts.deleteAddress(user.id, main.id);
        assert.equal((await store.accounts.listAddresses(user.id)).length, 1);
        await assert.rejects(store.accounts.deleteAddress(user.id, main.id), NotFoundError);
      });

      it('pages users with cursors', async () => {
        const tag = `page${process.pid}`;
        for (let i = 0; i < 5; i++) {
          const u = await newUser(store);
          await store.accounts.updateUser(u.id, { tags: [tag] });
        }
        const first = await store.accounts.listUsers({ tags: [tag], limit: 2 });
        assert.equal(first.total, 5);
        assert.equal(first.results.length, 2);
        assert.equal(first.previous, null);
        const second = await store.accounts.listUsers({ tags: [tag], limit: 2, next: first.next! });
        const third = await store.accounts.listUsers({ tags: [tag], limit: 2, next: second.next! });
        assert.equal(third.results.length, 1);
        assert.equal(third.next, null);
        const names = [...first.results, ...second.results, ...third.results].map((u) => u.username);
        assert.deepEqual(names, [...names].sort());
        assert.equal(new Set(names).size, 5);
        const back = await store.accounts.listUsers({ tags: [tag], limit: 2, previous: third.previous! });
        assert.deepEqual(back.results.map((u) => u.username), second.results.map((u) => u.username));
      });

      it('merges settings on update and removes keys set to null', async () => {
        const user = await newUser(store);
        await store.accounts.updateUser(user.id, { settings: { spamLevel: 50, language: 'et' } });
        const updated = await store.accounts.updateUser(user.id, { settings: { language: undefined, retention: 5 }, name: 'N' });
        assert.deepEqual(updated.settings, { spamLevel: 50, retention: 5 });
        assert.equal(updated.name, 'N');
        await assert.rejects(store.accounts.updateUser('000000000000000000000000', { name: 'x' }), NotFoundError);
      });
    });

    describe('mailboxes', () => {
      it('creates missing parents and refuses duplicates and bad names', async () => {
        const user = await newUser(store);
        await store.mailboxes.createMailbox(user.id, 'Work/Projects/Eider');
        const paths = (await store.mailboxes.listMailboxes(user.id)).map((b) => b.path);
        assert.ok(paths.includes('Work') && paths.includes('Work/Projects') && paths.includes('Work/Projects/Eider'));
        await assert.rejects(store.mailboxes.createMailbox(user.id, 'Work/Projects'), AlreadyExistsError);
        await assert.rejects(store.mailboxes.createMailbox(user.id, 'inbox'), AlreadyExistsError);
        for (const bad of ['', 'a//b', '/a', 'a/', 'a\u0000b', 'x'.repeat(2000)]) {
          await assert.rejects(store.mailboxes.createMailbox(user.id, bad), InvalidError, JSON.stringify(bad));
        }
        assert.equal((await store.mailboxes.getMailbox(user.id, 'iNbOx'))?.path, 'INBOX');
      });

      it('renames a mailbox with its children, keeping ids and UIDVALIDITY', async () => {
        const user = await newUser(store);
        const parent = await store.mailboxes.createMailbox(user.id, 'Old');
        const child = await store.mailboxes.createMailbox(user.id, 'Old/Child');
        await put(store, child, textMessage());
        await store.mailboxes.renameMailbox(user.id, parent.id, 'New/Place');
        const moved = await store.mailboxes.getMailbox(user.id, 'New/Place/Child');
        assert.equal(moved?.id, child.id);
        assert.equal(moved?.uidValidity, child.uidValidity);
        assert.equal(await store.mailboxes.getMailbox(user.id, 'Old'), null);
        assert.ok(await store.mailboxes.getMailbox(user.id, 'New'));
        assert.equal((await store.messages.uids(child.id)).length, 1);
        await assert.rejects(store.mailboxes.renameMailbox(user.id, parent.id, 'New/Place/Child/Deeper'), CannotError);
        await assert.rejects(store.mailboxes.renameMailbox(user.id, parent.id, 'Drafts'), AlreadyExistsError);
      });

      it('renaming INBOX moves its messages to the new mailbox and leaves INBOX empty', async () => {
        const user = await newUser(store);
        const box = await inbox(store, user);
        await put(store, box, textMessage());
        await put(store, box, textMessage());
        const renamed = await store.mailboxes.renameMailbox(user.id, box.id, 'Old Inbox');
        assert.equal((await store.messages.uids(renamed.id)).length, 2);
        assert.equal((await store.messages.uids(box.id)).length, 0);
        assert.ok(await store.mailboxes.getMailbox(user.id, 'INBOX'));
      });

      it('deletes a mailbox into the archive, refuses INBOX, and a recreated name gets a new UIDVALIDITY', async () => {
        const user = await newUser(store);
        const box = await store.mailboxes.createMailbox(user.id, 'Temp');
        await put(store, box, textMessage({ subject: 'archived on delete' }));
        await store.mailboxes.deleteMailbox(user.id, box.id);
        assert.equal(await store.mailboxes.getMailbox(user.id, 'Temp'), null);
        const archived = await store.archive.list(user.id, {});
        assert.equal(archived.results[0]?.subject, 'archived on delete');
        await assert.rejects(store.mailboxes.deleteMailbox(user.id, (await inbox(store, user)).id), CannotError);
        const again = await store.mailboxes.createMailbox(user.id, 'Temp');
        assert.notEqual(again.uidValidity, box.uidValidity);
        assert.equal((await store.quota.usage(user.id)).used, 0);
      });

      it('keeps one mailbox per special use', async () => {
        const user = await newUser(store);
        await assert.rejects(store.mailboxes.createMailbox(user.id, 'Trash2', { specialUse: '\\Trash' }), AlreadyExistsError);
        const junk = await store.mailboxes.getSpecialMailbox(user.id, '\\Junk');
        assert.equal(junk?.path, 'Junk');
        assert.ok((junk?.retention ?? 0) > 0, 'Junk has a default retention');
      });

      it('claims \\Recent once', async () => {
        const user = await newUser(store);
        const box = await inbox(store, user);
        await put(store, box, textMessage());
        await put(store, box, textMessage());
        assert.equal((await store.mailboxes.counters(box.id)).recent, 2);
        const claim = await store.mailboxes.claimRecent(box.id);
        assert.deepEqual(claim, { firstUid: 1, uidNext: 3 });
        const second = await store.mailboxes.claimRecent(box.id);
        assert.equal(second.firstUid, second.uidNext, 'nothing left to claim');
        assert.equal((await store.mailboxes.counters(box.id)).recent, 0);
      });
    });

    describe('messages', () => {
      it('assigns ascending UIDs and MODSEQs and stores bytes exactly, prefix first', async () => {
        const user = await newUser(store);
        const box = await inbox(store, user);
        const raw = Buffer.concat([textMessage({ body: 'caf\xe9 bytes' }), Buffer.from([0xff, 0xfe, 0x0a, 0x00, 0x0d])]);
        const prefix = Buffer.from('Delivered-To: x@example.com\r\nReturn-Path: <a@example.com>\r\n');
        const a = await put(store, box, raw, { prefix });
        const b = await put(store, box, raw);
        assert.equal(a.uid, 1);
        assert.equal(b.uid, 2);
        assert.ok(b.modseq > a.modseq);
        assert.equal(a.size, raw.length + prefix.length);
        const [ra, rb] = await store.messages.getRecords(box.id, [1, 2]);
        assert.ok(ra && rb);
        assert.deepEqual(await readAll(store.messages.open(ra)), Buffer.concat([prefix, raw]));
        assert.deepEqual(await readAll(store.messages.open(rb)), raw);
        assert.deepEqual(await store.messages.read(ra, 10, prefix.length + 20), Buffer.concat([prefix, raw]).subarray(10, prefix.length + 20));
        assert.deepEqual(await readAll(store.messages.open(ra, prefix.length + 5, prefix.length + 9)), raw.subarray(5, 9));
        assert.equal(ra.blob, rb.blob, 'one body, stored once');
        assert.equal(await store.blobs.refCount(ra.blob), 2);
        const counters = await store.mailboxes.counters(box.id);
        assert.equal(counters.messages, 2);
        assert.equal(counters.uidNext, 3);
        assert.equal(counters.highestModseq, b.modseq);
      });

      it('keeps message, size and unseen counters true through appends, flags, copy, move, expunge and delete', async () => {
        const user = await newUser(store);
        const box = await inbox(store, user);
        const other = await store.mailboxes.createMailbox(user.id, 'Counted');
        const sizes: number[] = [];
        for (let i = 0; i < 4; i++) sizes.push((await put(store, box, textMessage({ body: 'x'.repeat(10 * i) }), { flags: i === 0 ? ['\\Seen'] : [] })).size);
        const expect = async (mailbox: Mailbox, messages: number, unseen: number, size: number, why: string) => {
          const c = await store.mailboxes.counters(mailbox.id);
          assert.deepEqual({ messages: c.messages, unseen: c.unseen, size: c.size }, { messages, unseen, size }, why);
        };
        const total = (uids: number[]) => uids.reduce((n, uid) => n + sizes[uid - 1]!, 0);
        await expect(box, 4, 3, total([1, 2, 3, 4]), 'after appends');
        await expect(other, 0, 0, 0, 'an empty mailbox');
        await store.messages.updateFlags(box.id, [[2, 3]], { mode: 'add', flags: ['\\Seen', '\\Flagged'] });
        await expect(box, 4, 1, total([1, 2, 3, 4]), 'after +\\Seen');
        await store.messages.updateFlags(box.id, [[3, 3]], { mode: 'add', flags: ['\\Flagged'] });
        await expect(box, 4, 1, total([1, 2, 3, 4]), 'a flag other than \\Seen changes nothing');
        await store.messages.updateFlags(box.id, [[1, 2]], { mode: 'remove', flags: ['\\Seen'] });
        await expect(box, 4, 3, total([1, 2, 3, 4]), 'after -\\Seen');
        await store.messages.copy(box.id, [[1, 2]], other.id);
        await expect(other, 2, 2, total([1, 2]), 'after copy');
        await store.messages.move(box.id, [[4, 4]], other.id);
        await expect(box, 3, 2, total([1, 2, 3]), 'moved out');
        await expect(other, 3, 3, total([1, 2, 4]), 'moved in');
        await store.messages.expunge(box.id, { ranges: [[1, 1]], onlyDeleted: false });
        await expect(box, 2, 1, total([2, 3]), 'after expunge');
        await store.mailboxes.deleteMailbox(user.id, other.id);
        await expect(box, 2, 1, total([2, 3]), 'deleting another mailbox leaves this one alone');
      });

      it('keeps ENVELOPE, MIME tree, header and facts from ingest', async () => {
        const user = await newUser(store);
        const box = await inbox(store, user);
        const raw = multipartMessage({ subject: '=?utf-8?q?Tere_p=C3=A4ev?=', filename: 'report.pdf' });
        await put(store, box, raw, { flags: ['\\Seen', '$Important'] });
        const [rec] = await store.messages.getRecords(box.id, [1]);
        assert.ok(rec);
        assert.equal(rec.envelope.subject, '=?utf-8?q?Tere_p=C3=A4ev?=');
        assert.equal(rec.subject, 'Tere päev');
        assert.equal(rec.mime.type, 'multipart');
        assert.equal(rec.mime.children?.length, 2);
        const att = rec.mime.children![1]!;
        assert.equal(raw.subarray(att.bodyStart, att.bodyEnd).toString().trim(), Buffer.from('attachment bytes').toString('base64'));
        assert.ok(rec.header.toString().startsWith('From: '));
        assert.ok(rec.header.toString().endsWith('\r\n\r\n'));
        assert.ok(rec.hasAttachments);
        assert.deepEqual(rec.flags, ['\\Seen', '$Important']);
        const detail = await store.messages.getDetail(box.id, 1);
        assert.equal(detail?.facts.attachments[0]?.filename, 'report.pdf');
        assert.match(detail?.facts.text ?? '', /See the attachment/);
      });

      it('updates flags with one new modseq, reports unchanged and UNCHANGEDSINCE conflicts, and journals', async () => {
        const user = await newUser(store);
        const box = await inbox(store, user);
        for (let i = 0; i < 3; i++) await put(store, box, textMessage());
        const before = (await store.mailboxes.counters(box.id)).highestModseq;
        const r1 = await store.messages.updateFlags(box.id, [[1, 2]], { mode: 'add', flags: ['\\Seen', 'Work'] });
        assert.equal(r1.changed.length, 2);
        assert.ok(r1.modseq > before);
        assert.ok(r1.changed.every((c) => c.modseq === r1.modseq));
        assert.equal(await store.mailboxes.firstUnseen(box.id), 3);
        const r2 = await store.messages.updateFlags(box.id, [[1, 3]], { mode: 'add', flags: ['\\seen', 'work'] });
        assert.equal(await store.mailboxes.firstUnseen(box.id), null);
        assert.deepEqual(r2.changed.map((c) => c.uid), [3]);
        assert.deepEqual(r2.unchanged.map((c) => c.uid), [1, 2]);
        assert.deepEqual(r2.unchanged[0]?.flags, ['\\Seen', 'Work'], 'keywords compare case-insensitively, first spelling kept');
        const r3 = await store.messages.updateFlags(box.id, [[1, 3]], { mode: 'remove', flags: ['\\Seen'], unchangedSince: r1.modseq });
        assert.deepEqual(r3.conflicts, [3]);
        assert.deepEqual(r3.changed.map((c) => c.uid), [1, 2]);
        const r4 = await store.messages.updateFlags(box.id, [[2, 2]], { mode: 'set', flags: ['\\Flagged', '\\Recent'] });
        assert.deepEqual(r4.changed[0]?.flags, ['\\Flagged'], '\\Recent is never stored');
        const changes = await store.messages.changesSince(box.id, r1.modseq);
        assert.deepEqual(changes.changed.map((c) => c.uid), [1, 2, 3]);
        assert.equal(changes.highestModseq, r4.modseq);
        const journal = await store.journal.since(user.id, 0, 1000);
        assert.ok(journal.some((j) => j.kind === 'flags' && j.uid === 2 && j.flags?.[0] === '\\Flagged'));
        assert.equal((await store.mailboxes.counters(box.id)).unseen, 2, 'uid 3 kept \\Seen (conflict)');
      });

      it('expunges into the archive and restores with a new UID', async () => {
        const user = await newUser(store);
        const box = await inbox(store, user);
        for (let i = 0; i < 4; i++) await put(store, box, textMessage({ subject: `m${i}` }));
        await store.messages.updateFlags(box.id, [[2, 3]], { mode: 'add', flags: ['\\Deleted'] });
        const ex = await store.messages.expunge(box.id, { onlyDeleted: true });
        assert.deepEqual(ex.uids, [2, 3]);
        assert.deepEqual([...(await store.messages.uids(box.id))], [1, 4]);
        const changes = await store.messages.changesSince(box.id, ex.modseq - 1);
        assert.deepEqual(changes.expunged, [2, 3]);
        assert.ok(changes.complete);
        const archived = await store.archive.list(user.id, {});
        assert.equal(archived.total, 2);
        const restored = await store.archive.restore(user.id, archived.results[0]!.id);
        assert.equal(restored.uid, 5);
        assert.equal(restored.mailboxId, box.id);
        assert.equal((await store.archive.list(user.id, {})).total, 1);
        const [rec] = await store.messages.getRecords(box.id, [5]);
        assert.ok(rec?.flags.includes('\\Deleted'), 'flags survive the archive');
        await assert.rejects(store.archive.restore(user.id, archived.results[0]!.id), NotFoundError);
      });

      it('copies with new UIDs keeping flags and dates, and moves atomically', async () => {
        const user = await newUser(store);
        const box = await inbox(store, user);
        const other = await store.mailboxes.createMailbox(user.id, 'Other');
        const date = new Date('2020-02-02T02:02:02Z');
        const before = Date.now();
        await put(store, box, textMessage(), { flags: ['\\Flagged'], date });
        await put(store, box, textMessage());
        const [a1] = await store.messages.getRecords(box.id, [1]);
        assert.ok(a1!.savedDate.getTime() >= before, 'the save date is when it was stored, not its internal date (RFC 8514)');
        const copy = await store.messages.copy(box.id, [[1, 2]], other.id);
        assert.deepEqual(copy.sourceUids, [1, 2]);
        assert.deepEqual(copy.destinationUids, [1, 2]);
        assert.equal(copy.uidValidity, other.uidValidity);
        const [c1] = await store.messages.getRecords(other.id, [1]);
        assert.deepEqual(c1?.flags, ['\\Flagged']);
        assert.equal(c1?.internalDate.getTime(), date.getTime());
        assert.ok(c1!.savedDate.getTime() >= a1!.savedDate.getTime(), 'a copy is saved when copied');
        assert.deepEqual(await store.messages.search(other.id, { op: 'savedDate', lt: date.getTime() + 1 }), [], 'the save date is searchable');
        assert.deepEqual(await store.messages.search(other.id, { op: 'savedDate', gte: before }), [1, 2]);
        assert.equal(await store.blobs.refCount(c1!.blob), 2);
        const used = (await store.quota.usage(user.id)).used;
        const move = await store.messages.move(box.id, [[2, 2]], other.id);
        assert.deepEqual(move.destinationUids, [3]);
        const [m3] = await store.messages.getRecords(other.id, [3]);
        assert.ok(m3!.savedDate.getTime() >= c1!.savedDate.getTime(), 'a moved message is saved when moved');
        assert.deepEqual([...(await store.messages.uids(box.id))], [1]);
        assert.deepEqual([...(await store.messages.uids(other.id))], [1, 2, 3]);
        assert.equal((await store.quota.usage(user.id)).used, used, 'move does not change quota');
        assert.deepEqual((await store.messages.changesSince(box.id, 0)).expunged, [2]);
        const stranger = await newUser(store);
        await assert.rejects(store.messages.copy(box.id, [[1, 1]], (await inbox(store, stranger)).id), NotFoundError);
      });

      it('searches flags, sizes, dates, headers and text', async () => {
        const user = await newUser(store);
        const box = await inbox(store, user);
        await put(store, box, textMessage({ subject: 'Quarterly report', body: 'The Zebra crossed the road', from: 'Carol <carol@x.example>' }), {
          date: new Date('2026-01-10T12:00:00Z'),
        });
        await put(store, box, textMessage({ subject: '=?iso-8859-1?q?Gr=FC=DFe?=', body: 'short', headers: { 'X-Custom': 'Hello World' } }), {
          flags: ['\\Seen'],
          date: new Date('2026-03-10T12:00:00Z'),
        });
        await put(store, box, multipartMessage({ body: 'ab cd' }));
        const s = (q: Parameters<Store['messages']['search']>[1]) => store.messages.search(box.id, q);
        const textKeys = async () => {
          assert.deepEqual(await s({ op: 'text', value: 'zEBRA' }), [1]);
          assert.deepEqual(await s({ op: 'body', value: 'quarterly' }), [], 'BODY does not match the subject');
          assert.deepEqual(await s({ op: 'text', value: 'quarterly' }), [1], 'TEXT matches headers');
          assert.deepEqual(await s({ op: 'body', value: 'cd' }), [3], 'needles under three characters work');
          assert.deepEqual(await s({ op: 'text', value: 'grüße' }), [2], 'TEXT matches decoded header values');
          assert.deepEqual(await s({ op: 'or', of: [{ op: 'uid', ranges: [[3, 3]] }, { op: 'text', value: 'zebra' }] }), [1, 3]);
          assert.deepEqual(await s({ op: 'not', of: { op: 'body', value: 'zebra' } }), [2, 3]);
          const page = await store.messages.searchUser(user.id, { op: 'text', value: 'zebra' }, {});
          assert.equal(page.total, 1);
          assert.equal(page.results[0]?.uid, 1);
          assert.deepEqual(await store.messages.sort(box.id, { op: 'text', value: 'e' }, [{ key: 'uid', reverse: true }]), [3, 2, 1]);
        };
        await textKeys();
        await h.settle?.();
        await textKeys();
        assert.deepEqual(await s({ op: 'all' }), [1, 2, 3]);
        assert.deepEqual(await s({ op: 'flag', flag: '\\Seen', present: false }), [1, 3]);
        assert.deepEqual(await s({ op: 'header', field: 'subject', value: 'grüße' }), [2], 'header values are RFC 2047-decoded');
        assert.deepEqual(await s({ op: 'header', field: 'x-custom', value: '' }), [2]);
        assert.deepEqual(await s({ op: 'header', field: 'from', value: 'CAROL@' }), [1]);
        assert.deepEqual(await s({ op: 'internalDate', gte: Date.parse('2026-02-01T00:00:00Z') }), [2, 3]);
        assert.deepEqual(await s({ op: 'sentDate', lt: Date.parse('2026-12-02T00:00:00Z') }), [1, 2]);
        assert.deepEqual(await s({ op: 'not', of: { op: 'hasAttachments', value: true } }), [1, 2]);
        const scattered: Array<[number, number]> = Array.from({ length: 5000 }, (_, i) => [i * 2 + 1, i * 2 + 1]);
        assert.deepEqual(await s({ op: 'uid', ranges: scattered }), [1, 3], 'thousands of ranges in one query');
        assert.deepEqual(await s({ op: 'uid', ranges: [...scattered.slice(0, 20), [2, 2]] }), [1, 2, 3]);
        const size1 = (await store.messages.getRecords(box.id, [1]))[0]!.size;
        assert.deepEqual(await s({ op: 'size', gt: size1 - 1, lt: size1 + 1 }), [1]);
      });

      it('searches the text of attached messages and attachment names, outside the message text', async () => {
        const user = await newUser(store);
        const box = await inbox(store, user);
        const forward = [
          'Subject: Fwd: notes',
          'MIME-Version: 1.0',
          'Content-Type: multipart/mixed; boundary=b',
          '',
          '--b',
          'Content-Type: text/plain',
          '',
          'See below.',
          '--b',
          'Content-Type: message/rfc822',
          'Content-Disposition: attachment',
          '',
          'Subject: notes',
          'Content-Type: text/plain',
          '',
          'The pangolin invoice is attached.',
          '--b',
          'Content-Type: application/pdf; name="ledger-2026.pdf"',
          'Content-Transfer-Encoding: base64',
          '',
          'JVBERi0=',
          '--b--',
          '',
        ].join('\r\n');
        await put(store, box, Buffer.from(forward));
        await put(store, box, textMessage({ body: 'nothing of note' }));
        const s = (q: Parameters<Store['messages']['search']>[1]) => store.messages.search(box.id, q);
        const check = async () => {
          assert.deepEqual(await s({ op: 'text', value: 'PANGOLIN' }), [1], 'RFC 3501 §6.4.4: TEXT looks inside the forwarded message');
          assert.deepEqual(await s({ op: 'body', value: 'pangolin invoice' }), [1]);
          assert.deepEqual(await s({ op: 'body', value: 'ledger-2026' }), [1], 'attachment filenames are searchable');
          const detail = await store.messages.getDetail(box.id, 1);
          assert.equal(detail?.facts.text.trim(), 'See below.', 'the message text stays its own');
          assert.match(detail?.facts.attachedText ?? '', /pangolin invoice/);
        };
        await check();
        await h.settle?.();
        await check();
      });

      it('sorts per RFC 5256 keys and gives THREAD its facts', async () => {
        const user = await newUser(store);
        const box = await inbox(store, user);
        await put(store, box, textMessage({ subject: 'Re: banana', from: 'Zed <zed@x.example>', date: 'Mon, 05 Jan 2026 10:00:00 +0000', messageId: '<t1@x>' }));
        await put(store, box, textMessage({ subject: 'apple', from: 'amy@x.example', date: 'Sun, 04 Jan 2026 10:00:00 +0000', messageId: '<t2@x>', headers: { References: '<t1@x>', 'In-Reply-To': '<t1@x>' } }));
        await put(store, box, textMessage({ subject: '[list] Cherry', from: '"Bob" <Bob@x.example>', date: 'Tue, 06 Jan 2026 10:00:00 +0000' }));
        const sort = (spec: Parameters<Store['messages']['sort']>[2]) => store.messages.sort(box.id, { op: 'all' }, spec);
        assert.deepEqual(await sort([{ key: 'subject' }]), [2, 1, 3], 'base subjects: apple, banana, cherry');
        assert.deepEqual(await sort([{ key: 'date' }]), [2, 1, 3]);
        assert.deepEqual(await sort([{ key: 'date', reverse: true }]), [3, 1, 2]);
        assert.deepEqual(await sort([{ key: 'from' }]), [2, 3, 1], 'by mailbox: amy, Bob, zed (ASCII case folded)');
        assert.deepEqual(await sort([{ key: 'displayfrom' }]), [2, 3, 1], 'amy@x.example, Bob, Zed');
        assert.deepEqual(await sort([{ key: 'arrival', reverse: true }]), [3, 2, 1]);
        const facts = await store.messages.threadFacts(box.id, { op: 'all' });
        assert.deepEqual(facts.map((f) => f.uid), [1, 2, 3]);
        assert.equal(facts[1]?.inReplyTo, '<t1@x>');
        assert.deepEqual(facts[1]?.references, ['<t1@x>']);
        assert.equal(facts[0]?.messageId, '<t1@x>');
        assert.equal(facts[0]?.sentDate, Date.parse('2026-01-05T10:00:00Z'));
      });

      it('accounts quota exactly and refuses appends over it', async () => {
        const user = await newUser(store, { quota: 3000 });
        const box = await inbox(store, user);
        const raw = textMessage({ body: 'x'.repeat(1000) });
        await put(store, box, raw);
        await put(store, box, raw);
        assert.equal((await store.quota.usage(user.id)).used, raw.length * 2);
        await assert.rejects(put(store, box, raw), OverQuotaError);
        assert.equal((await store.messages.uids(box.id)).length, 2, 'nothing stored on failure');
        await store.messages.expunge(box.id, { ranges: [[1, 1]], onlyDeleted: false });
        assert.equal((await store.quota.usage(user.id)).used, raw.length);
        assert.equal(await store.quota.recalculate(user.id), raw.length);
      });

      it('appendAll stores several messages with consecutive UIDs, or none of them', async () => {
        const user = await newUser(store, { quota: 5000 });
        const box = await inbox(store, user);
        const raws = [textMessage({ subject: 'first', body: 'x'.repeat(1000) }), textMessage({ subject: 'second', body: 'y'.repeat(1000) })];
        const spooled = await Promise.all(raws.map((r) => spoolBuffer(store.blobs, r)));
        const results = await store.messages.appendAll(
          box.id,
          spooled.map((sp, i) => ({ blob: sp.blob, parsed: sp.parsed, flags: i === 0 ? ['\\Seen'] : [] })),
        );
        assert.deepEqual(results.map((r) => r.uid), [1, 2]);
        const records = await store.messages.getRecords(box.id, [1, 2]);
        assert.deepEqual(records.map((r) => [r.subject, r.flags]), [['first', ['\\Seen']], ['second', []]]);
        assert.ok((await store.messages.read(records[1]!)).equals(raws[1]!));
        const before = await store.mailboxes.counters(box.id);
        // Two more fit the quota one at a time, not together with a third: all or none.
        const more = await Promise.all([0, 1, 2].map(() => spoolBuffer(store.blobs, raws[0]!)));
        await assert.rejects(
          store.messages.appendAll(box.id, more.map((sp) => ({ blob: sp.blob, parsed: sp.parsed }))),
          OverQuotaError,
        );
        for (const sp of [...spooled, ...more]) await store.blobs.release(sp.blob);
        const after = await store.mailboxes.counters(box.id);
        assert.deepEqual([after.messages, after.uidNext, after.highestModseq], [before.messages, before.uidNext, before.highestModseq]);
        assert.equal((await store.quota.usage(user.id)).used, raws[0]!.length + raws[1]!.length);
      });

      it('keeps METADATA entries per mailbox and for the server, by depth, all or none within limits', async () => {
        const user = await newUser(store);
        const box = await store.mailboxes.createMailbox(user.id, 'Notes');
        const limits = { maxEntries: 4, maxValueSize: 16 };
        const v = (s: string) => Buffer.from(s);
        await store.metadata.set(user.id, box.id, [{ name: '/private/comment', value: v('mine') }, { name: '/shared/comment', value: v('ours') }], limits);
        await store.metadata.set(user.id, null, [{ name: '/private/vendor/x/a', value: v('1') }, { name: '/private/vendor/x/a/b', value: v('2') }], limits);
        const names = (entries: Array<{ name: string }>) => entries.map((e) => e.name);
        assert.deepEqual(names(await store.metadata.get(user.id, box.id, ['/private/comment', '/private/none'], 0)), ['/private/comment']);
        assert.deepEqual((await store.metadata.get(user.id, box.id, ['/shared/comment'], 0))[0]?.value, v('ours'));
        assert.deepEqual(names(await store.metadata.get(user.id, null, ['/private/vendor'], 1)), [], 'depth 1 stops at children');
        assert.deepEqual(names(await store.metadata.get(user.id, null, ['/private/vendor/x'], 1)), ['/private/vendor/x/a']);
        assert.deepEqual(names(await store.metadata.get(user.id, null, ['/private/vendor'], 'infinity')), ['/private/vendor/x/a', '/private/vendor/x/a/b']);
        assert.deepEqual(names(await store.metadata.get(user.id, null, ['/private/comment'], 0)), [], 'the server and a mailbox are apart');
        await assert.rejects(store.metadata.set(user.id, box.id, [{ name: '/private/big', value: Buffer.alloc(17) }], limits), MetadataLimitError);
        await assert.rejects(
          store.metadata.set(user.id, box.id, [{ name: '/private/c1', value: v('x') }, { name: '/private/c2', value: v('x') }, { name: '/private/c3', value: v('x') }], limits),
          MetadataLimitError,
        );
        assert.deepEqual(names(await store.metadata.get(user.id, box.id, ['/private'], 'infinity')), ['/private/comment'], 'a refused set leaves nothing');
        await store.metadata.set(user.id, box.id, [{ name: '/private/comment', value: null }], limits);
        assert.deepEqual(await store.metadata.get(user.id, box.id, ['/private/comment'], 0), [], 'NIL removes');
        await store.mailboxes.renameMailbox(user.id, box.id, 'Renamed');
        assert.equal((await store.metadata.get(user.id, box.id, ['/shared/comment'], 0)).length, 1, 'RENAME keeps them');
        const stranger = await newUser(store);
        await assert.rejects(store.metadata.get(stranger.id, box.id, ['/shared/comment'], 0), NotFoundError);
        await store.mailboxes.deleteMailbox(user.id, box.id);
        await assert.rejects(store.metadata.get(user.id, box.id, ['/shared/comment'], 0), NotFoundError);
      });

      it('calls the post-commit hook with journalled changes', async () => {
        const user = await newUser(store);
        const box = await inbox(store, user);
        const mark = h.events.length;
        const r = await put(store, box, textMessage());
        const ev = h.events.slice(mark).find((e) => e.kind === 'exists' && e.userId === user.id);
        assert.ok(ev);
        assert.equal(ev.mailboxId, box.id);
        assert.equal(ev.uid, r.uid);
        assert.equal(ev.modseq, r.modseq);
        assert.ok((ev.journalId ?? 0) > 0);
      });

      it('deleting a user releases its blob references', async () => {
        const user = await newUser(store);
        const box = await inbox(store, user);
        const raw = textMessage({ body: `only here ${Date.now()}` });
        await put(store, box, raw);
        const [rec] = await store.messages.getRecords(box.id, [1]);
        await store.accounts.deleteUser(user.id);
        assert.equal(await store.accounts.getUser(user.id), null);
        assert.equal(await store.blobs.refCount(rec!.blob), 0);
        const report = await store.maintenance.run(new Date(Date.now() + 2 * 3600 * 1000));
        assert.ok(report.blobsDeleted >= 1);
        assert.equal(await store.blobs.exists(rec!.blob), false);
      });
    });

    describe('coordination', () => {
      it('leases exclude other owners until released or expired', async () => {
        const key = `lease-${process.pid}`;
        assert.equal(await store.coordination.acquireLease(key, 'a', 60_000), true);
        assert.equal(await store.coordination.acquireLease(key, 'b', 60_000), false);
        assert.equal(await store.coordination.acquireLease(key, 'a', 60_000), true, 'renewal');
        await store.coordination.releaseLease(key, 'b');
        assert.equal(await store.coordination.acquireLease(key, 'b', 60_000), false, 'only the owner releases');
        await store.coordination.releaseLease(key, 'a');
        assert.equal(await store.coordination.acquireLease(key, 'b', 1), true);
      });

      it('counts in windows', async () => {
        const key = `counter-${process.pid}`;
        assert.equal(await store.coordination.increment(key, 60_000), 1);
        assert.equal(await store.coordination.increment(key, 60_000, 2), 3);
        assert.equal(await store.coordination.counter(key), 3);
        await store.coordination.resetCounter(key);
        assert.equal(await store.coordination.counter(key), 0);
      });
    });
  });

  describe(`storage maintenance [${engine}]`, () => {
    it('purges the archive after retention and expunges expired messages', async () => {
      const h2 = await factory({ archiveRetention: 1 });
      try {
        const s = h2.store;
        const user = await newUser(s);
        const box = await inbox(s, user);
        await put(s, box, textMessage());
        await put(s, box, textMessage());
        await s.messages.expunge(box.id, { ranges: [[1, 1]], onlyDeleted: false });
        await s.messages.setExpiry(box.id, [[2, 2]], new Date(Date.now() + 1000));
        const report = await s.maintenance.run(new Date(Date.now() + 2 * 24 * 3600 * 1000));
        assert.equal(report.archivePurged, 1);
        assert.equal(report.retentionExpunged, 1);
        assert.equal((await s.archive.list(user.id, {})).total, 0);
        assert.equal((await s.messages.uids(box.id)).length, 0);
        assert.equal((await s.quota.usage(user.id)).used, 0);
      } finally {
        await h2.cleanup();
      }
    });
  });

  describe(`storage security [${engine}]`, () => {
    let h: EngineHarness;
    let store: Store;
    before(async () => {
      h = await factory();
      store = h.store;
    });
    after(async () => h.cleanup());

    it('stores app passwords, finds them by lookup key, hides expired ones, deletes them', async () => {
      const user = await newUser(store);
      const a = await store.asps.create(user.id, { description: 'Phone', scopes: ['imap', 'pop3'], lookup: 'k1', hash: '$argon2id$x' });
      await store.asps.create(user.id, { description: 'Old', scopes: ['*'], lookup: 'k2', hash: 'h', expires: new Date(Date.now() - 1000) });
      assert.deepEqual((await store.asps.list(user.id)).map((x) => x.id), [a.id]);
      assert.deepEqual(a.scopes, ['imap', 'pop3']);
      assert.equal((await store.asps.findByLookup(user.id, 'k1'))[0]?.id, a.id);
      assert.deepEqual(await store.asps.findByLookup(user.id, 'k2'), [], 'expired');
      const other = await newUser(store);
      assert.deepEqual(await store.asps.findByLookup(other.id, 'k1'), [], 'per user');
      await store.asps.touch(user.id, a.id, '192.0.2.1');
      const touched = await store.asps.get(user.id, a.id);
      assert.equal(touched?.lastIp, '192.0.2.1');
      assert.ok(touched?.lastUse instanceof Date);
      await assert.rejects(store.asps.delete(other.id, a.id), NotFoundError);
      await store.asps.delete(user.id, a.id);
      assert.equal(await store.asps.get(user.id, a.id), null);
      await assert.rejects(store.asps.create('0'.repeat(24), { description: '', scopes: [], lookup: '', hash: '' }), NotFoundError);
    });

    it('keeps one TOTP seed per user: pending until confirmed, each time step accepted once', async () => {
      const user = await newUser(store);
      assert.equal(await store.twoFactor.getTotp(user.id), null);
      assert.equal(await store.twoFactor.setPendingTotp(user.id, 'seed-a'), true);
      assert.equal(await store.twoFactor.setPendingTotp(user.id, 'seed-b'), true, 'a pending seed is replaced');
      assert.equal(await store.twoFactor.claimStep(user.id, 5), false, 'not enabled yet');
      assert.equal(await store.twoFactor.enableTotp(user.id, 'seed-a', 10), false, 'replaced seed cannot be enabled');
      assert.equal(await store.twoFactor.enableTotp(user.id, 'seed-b', 10), true);
      assert.equal(await store.twoFactor.enableTotp(user.id, 'seed-b', 11), false, 'already enabled');
      assert.equal(await store.twoFactor.setPendingTotp(user.id, 'seed-c'), false, 'an enabled seed is not replaced');
      const state = await store.twoFactor.getTotp(user.id);
      assert.deepEqual([state?.secret, state?.enabled, state?.lastStep], ['seed-b', true, 10]);
      assert.equal(await store.twoFactor.claimStep(user.id, 10), false, 'replay');
      assert.equal(await store.twoFactor.claimStep(user.id, 9), false, 'older step');
      const claims = await Promise.all([store.twoFactor.claimStep(user.id, 11), store.twoFactor.claimStep(user.id, 11)]);
      assert.deepEqual(claims.sort(), [false, true], 'concurrent use of one code: exactly one wins');
      assert.equal(await store.twoFactor.deleteTotp(user.id), true);
      assert.equal(await store.twoFactor.deleteTotp(user.id), false);
      await assert.rejects(store.twoFactor.setPendingTotp('0'.repeat(24), 's'), NotFoundError);
    });

    it('pages the auth log newest first with filters, hides and prunes expired entries', async () => {
      const user = await newUser(store);
      const t0 = Date.now() - 10_000;
      for (let i = 0; i < 5; i++) {
        await store.authLog.add(user.id, {
          action: i % 2 ? 'authentication' : 'create asp',
          result: 'success',
          sess: `s${i}`,
          ip: i < 3 ? '192.0.2.1' : '192.0.2.2',
          data: { protocol: 'imap', n: i },
          created: new Date(t0 + i * 1000),
          ttlMs: 3600_000,
        });
      }
      await store.authLog.add(user.id, { action: 'authentication', created: new Date(t0 - 7200_000), ttlMs: 3600_000 });
      assert.equal(await store.authLog.add('0'.repeat(24), { action: 'x', ttlMs: 1000 }), null, 'unknown user: dropped');
      const first = await store.authLog.list(user.id, { limit: 2 });
      assert.equal(first.total, 5, 'the expired entry is hidden');
      assert.deepEqual(first.results.map((e) => e.data.n), [4, 3]);
      const second = await store.authLog.list(user.id, { limit: 2, next: first.next! });
      assert.deepEqual(second.results.map((e) => e.data.n), [2, 1]);
      assert.equal((await store.authLog.list(user.id, { action: 'authentication' })).total, 2);
      assert.equal((await store.authLog.list(user.id, { ip: '192.0.2.2' })).total, 2);
      assert.deepEqual((await store.authLog.list(user.id, { sess: 's0' })).results.map((e) => e.action), ['create asp']);
      const one = first.results[0]!;
      assert.deepEqual(await store.authLog.get(user.id, one.id), one);
      assert.ok((await store.authLog.prune()) >= 1);
      const report = await store.maintenance.run(new Date(Date.now() + 2 * 3600_000));
      assert.ok(report.authLogPruned >= 5, 'maintenance prunes expired entries');
      assert.equal((await store.authLog.list(user.id, {})).total, 0);
    });

    it('deleting a user removes its app passwords, TOTP seed and auth log', async () => {
      const user = await newUser(store);
      await store.asps.create(user.id, { description: 'x', scopes: ['*'], lookup: 'l', hash: 'h' });
      await store.twoFactor.setPendingTotp(user.id, 'seed');
      await store.authLog.add(user.id, { action: 'authentication', ttlMs: 3600_000 });
      await store.accounts.deleteUser(user.id);
      assert.deepEqual(await store.asps.findByLookup(user.id, 'l'), []);
      assert.equal(await store.twoFactor.getTotp(user.id), null);
      assert.equal((await store.authLog.list(user.id, {})).total, 0);
    });
  });

  describe(`outbox [${engine}]`, () => {
    let h: EngineHarness;
    let store: Store;
    before(async () => {
      h = await factory();
      store = h.store;
    });
    after(async () => h.cleanup());

    it('enqueues raw messages and shared bodies durably, and reads them back byte-exact', async () => {
      const raw = textMessage({ subject: 'outbox raw' });
      const { entry, created } = await store.outbox.enqueue({ kind: 'autoreply', userId: null, from: '', to: ['a@example.net'], raw });
      assert.equal(created, true);
      assert.equal(entry.status, 'queued');
      assert.equal(entry.transport, 'smtp');
      assert.equal(entry.size, raw.length);
      assert.deepEqual(await readAll(await store.outbox.open(entry.id)), raw);

      const body = textMessage({ subject: 'outbox body' });
      const spooled = await spoolBuffer(store.blobs, body);
      const prefix = Buffer.from('X-Eider-Loop: test\r\n');
      const fwd = await store.outbox.enqueue({
        kind: 'forward',
        userId: null,
        from: 's@example.net',
        to: [],
        url: 'https://hook.example/x',
        body: { blob: spooled.blob, parsed: spooled.parsed, prefix },
      });
      await store.blobs.release(spooled.blob);
      assert.equal(fwd.entry.transport, 'http');
      assert.equal(fwd.entry.size, prefix.length + body.length);
      assert.equal(await store.blobs.refCount(spooled.blob.hash), 1, 'the outbox holds a reference');
      assert.deepEqual(await readAll(await store.outbox.open(fwd.entry.id)), Buffer.concat([prefix, body]));
      await store.outbox.markSent(fwd.entry.id);
      assert.equal(await store.blobs.refCount(spooled.blob.hash), 0, 'sent: the reference is dropped');
      assert.equal((await store.outbox.get(fwd.entry.id))?.status, 'sent');
    });

    it('refuses entries without recipients or without content', async () => {
      await assert.rejects(store.outbox.enqueue({ kind: 'forward', userId: null, from: '', to: [], raw: Buffer.from('x') }), InvalidError);
      await assert.rejects(store.outbox.enqueue({ kind: 'forward', userId: null, from: '', to: ['a@example.net'] }), InvalidError);
    });

    it('an idempotency key returns the existing entry, queued or sent', async () => {
      const key = `key-${process.pid}-${Date.now()}`;
      const first = await store.outbox.enqueue({ kind: 'forward', userId: null, from: '', to: ['k@example.net'], raw: Buffer.from('a'), key });
      const second = await store.outbox.enqueue({ kind: 'forward', userId: null, from: '', to: ['k@example.net'], raw: Buffer.from('a'), key });
      assert.equal(second.created, false);
      assert.equal(second.entry.id, first.entry.id);
      await store.outbox.markSent(first.entry.id);
      const third = await store.outbox.enqueue({ kind: 'forward', userId: null, from: '', to: ['k@example.net'], raw: Buffer.from('a'), key });
      assert.equal(third.entry.id, first.entry.id);
      assert.equal(third.entry.status, 'sent');
    });

    it('claims due entries once per lease, by transport, and reschedules or fails them', async () => {
      const user = await newUser(store);
      const mk = (to: string, url?: string) =>
        store.outbox.enqueue({ kind: 'forward', userId: user.id, from: '', to: url ? [] : [to], url, raw: Buffer.from(to) });
      const s1 = (await mk('c1@example.net')).entry;
      const h1 = (await mk('', 'https://hook.example/c')).entry;
      const future = new Date(Date.now() + 60_000);
      const onlyHttp = await store.outbox.claimDue('w1', { limit: 10, leaseMs: 30_000, transports: ['http'], now: future });
      assert.ok(onlyHttp.some((e) => e.id === h1.id));
      assert.ok(!onlyHttp.some((e) => e.id === s1.id));
      const first = await store.outbox.claimDue('w1', { limit: 100, leaseMs: 30_000, transports: ['smtp', 'http'], now: future });
      assert.ok(first.some((e) => e.id === s1.id));
      assert.ok(!first.some((e) => e.id === h1.id), 'leased to w1 already');
      const other = await store.outbox.claimDue('w2', { limit: 100, leaseMs: 30_000, transports: ['smtp', 'http'], now: future });
      assert.ok(!other.some((e) => e.id === s1.id || e.id === h1.id), 'another worker gets nothing while the lease holds');
      const later = new Date(future.getTime() + 31_000);
      const expired = await store.outbox.claimDue('w2', { limit: 100, leaseMs: 30_000, transports: ['smtp', 'http'], now: later });
      assert.ok(expired.some((e) => e.id === s1.id), 'an expired lease can be taken over');

      const next = new Date(Date.now() + 3_600_000);
      await store.outbox.reschedule(s1.id, next, 'connection refused');
      const r = await store.outbox.get(s1.id);
      assert.equal(r?.attempts, 1);
      assert.equal(r?.lastError, 'connection refused');
      assert.equal(r?.nextAttempt.getTime(), next.getTime());
      const notYet = await store.outbox.claimDue('w3', { limit: 100, leaseMs: 1000, transports: ['smtp'], now: new Date(next.getTime() - 1000) });
      assert.ok(!notYet.some((e) => e.id === s1.id), 'not due before nextAttempt');
      await store.outbox.fail(h1.id, '550 no such user');
      assert.equal((await store.outbox.get(h1.id))?.status, 'failed');
      assert.deepEqual((await store.outbox.list({ userId: user.id, status: 'failed' })).map((e) => e.id), [h1.id]);
      await assert.rejects(store.outbox.reschedule('000000000000000000000000', next, 'x'), NotFoundError);
    });

    it('purges sent entries past a cutoff only', async () => {
      const { entry } = await store.outbox.enqueue({ kind: 'autoreply', userId: null, from: '', to: ['p@example.net'], raw: Buffer.from('p') });
      await store.outbox.markSent(entry.id);
      assert.equal(await store.outbox.purgeSent(new Date(Date.now() - 60_000)), 0);
      assert.ok((await store.outbox.purgeSent(new Date(Date.now() + 60_000))) >= 1);
      assert.equal(await store.outbox.get(entry.id), null);
    });
  });

  describe(`concurrent appends [${engine}]`, () => {
    let h: EngineHarness;
    let store: Store;
    before(async () => {
      h = await factory();
      store = h.store;
    });
    after(async () => h.cleanup());

    it('appends issued together each succeed or fail on their own, and only committed ones are announced', async () => {
      const ok = await newUser(store);
      const full = await newUser(store, { quota: 100 });
      const okBox = await inbox(store, ok);
      const fullBox = await inbox(store, full);
      const raw = textMessage({ subject: 'together', body: 'x'.repeat(500) });
      const spooled = await spoolBuffer(store.blobs, raw);
      const mark = h.events.length;
      const attempts = await Promise.allSettled([
        store.messages.append(okBox.id, { blob: spooled.blob, parsed: spooled.parsed, prefix: Buffer.from('Delivered-To: a\r\n') }),
        store.messages.append(fullBox.id, { blob: spooled.blob, parsed: spooled.parsed }),
        store.messages.append(okBox.id, { blob: spooled.blob, parsed: spooled.parsed, prefix: Buffer.from('Delivered-To: b\r\n') }),
        store.messages.append('000000000000000000000000', { blob: spooled.blob, parsed: spooled.parsed }),
      ]);
      await store.blobs.release(spooled.blob);
      assert.equal(attempts[0].status, 'fulfilled');
      assert.equal(attempts[2].status, 'fulfilled');
      assert.ok(attempts[1].status === 'rejected' && attempts[1].reason instanceof OverQuotaError);
      assert.ok(attempts[3].status === 'rejected' && attempts[3].reason instanceof NotFoundError);
      const uids = [...(await store.messages.uids(okBox.id))];
      assert.deepEqual(uids, [1, 2]);
      assert.equal((await store.messages.uids(fullBox.id)).length, 0);
      assert.equal((await store.quota.usage(full.id)).used, 0);
      const events = h.events.slice(mark).filter((e) => e.kind === 'exists');
      assert.deepEqual(events.map((e) => e.userId), [ok.id, ok.id]);
      assert.equal(await store.blobs.refCount(spooled.blob.hash), 2);
      const [a, b] = await store.messages.getRecords(okBox.id, uids);
      assert.deepEqual(await store.messages.read(a!), Buffer.concat([Buffer.from('Delivered-To: a\r\n'), raw]));
      assert.deepEqual(await store.messages.read(b!), Buffer.concat([Buffer.from('Delivered-To: b\r\n'), raw]));
    });
  });
}
