/**
 * The storage conformance suite: written against the Store interface only,
 * run against every engine (see sqlite.test.ts). A new engine must pass it
 * unchanged.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AlreadyExistsError, CannotError, InvalidError, NotFoundError, OverQuotaError } from '../../src/storage/errors.js';
import type { Store } from '../../src/storage/interface.js';
import { spoolBuffer } from '../../src/storage/ingest.js';
import type { ChangeEvent, Mailbox, User } from '../../src/storage/types.js';
import { multipartMessage, textMessage } from '../helpers/messages.js';

export interface EngineHarness {
  store: Store;
  /** Events passed to the engine's post-commit hook. */
  events: ChangeEvent[];
  cleanup(): Promise<void>;
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
        const r2 = await store.messages.updateFlags(box.id, [[1, 3]], { mode: 'add', flags: ['\\seen', 'work'] });
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
        await put(store, box, textMessage(), { flags: ['\\Flagged'], date });
        await put(store, box, textMessage());
        const copy = await store.messages.copy(box.id, [[1, 2]], other.id);
        assert.deepEqual(copy.sourceUids, [1, 2]);
        assert.deepEqual(copy.destinationUids, [1, 2]);
        assert.equal(copy.uidValidity, other.uidValidity);
        const [c1] = await store.messages.getRecords(other.id, [1]);
        assert.deepEqual(c1?.flags, ['\\Flagged']);
        assert.equal(c1?.internalDate.getTime(), date.getTime());
        assert.equal(await store.blobs.refCount(c1!.blob), 2);
        const used = (await store.quota.usage(user.id)).used;
        const move = await store.messages.move(box.id, [[2, 2]], other.id);
        assert.deepEqual(move.destinationUids, [3]);
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
        assert.deepEqual(await s({ op: 'all' }), [1, 2, 3]);
        assert.deepEqual(await s({ op: 'flag', flag: '\\Seen', present: false }), [1, 3]);
        assert.deepEqual(await s({ op: 'text', value: 'zEBRA' }), [1]);
        assert.deepEqual(await s({ op: 'body', value: 'quarterly' }), [], 'BODY does not match the subject');
        assert.deepEqual(await s({ op: 'text', value: 'quarterly' }), [1], 'TEXT matches headers');
        assert.deepEqual(await s({ op: 'body', value: 'cd' }), [3], 'needles under three characters work');
        assert.deepEqual(await s({ op: 'header', field: 'subject', value: 'grüße' }), [2], 'header values are RFC 2047-decoded');
        assert.deepEqual(await s({ op: 'header', field: 'x-custom', value: '' }), [2]);
        assert.deepEqual(await s({ op: 'header', field: 'from', value: 'CAROL@' }), [1]);
        assert.deepEqual(await s({ op: 'internalDate', gte: Date.parse('2026-02-01T00:00:00Z') }), [2, 3]);
        assert.deepEqual(await s({ op: 'sentDate', lt: Date.parse('2026-12-02T00:00:00Z') }), [1, 2]);
        assert.deepEqual(await s({ op: 'or', of: [{ op: 'uid', ranges: [[3, 3]] }, { op: 'text', value: 'zebra' }] }), [1, 3]);
        assert.deepEqual(await s({ op: 'not', of: { op: 'hasAttachments', value: true } }), [1, 2]);
        const size1 = (await store.messages.getRecords(box.id, [1]))[0]!.size;
        assert.deepEqual(await s({ op: 'size', gt: size1 - 1, lt: size1 + 1 }), [1]);
        const page = await store.messages.searchUser(user.id, { op: 'text', value: 'zebra' }, {});
        assert.equal(page.total, 1);
        assert.equal(page.results[0]?.uid, 1);
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
}
