/**
 * Engine contract, part two: the sync-sized reads and batch writes protocol
 * servers lean on (summary columns, records with parts left out, renditions,
 * flag changes over many messages, writes issued together). Written against
 * the Store interface only, like conformance.ts, and run for every engine.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NotFoundError } from '../../src/storage/errors.js';
import type { Renderer, Store } from '../../src/storage/interface.js';
import type { ChangeEvent } from '../../src/storage/types.js';
import { multipartMessage, textMessage } from '../helpers/messages.js';
import { inbox, newUser, put } from './conformance.js';

export interface SyncHarness {
  store: Store;
  events: ChangeEvent[];
  cleanup(): Promise<void>;
}

export type SyncEngineFactory = (options?: { renderers?: readonly Renderer[] }) => Promise<SyncHarness>;

/** A renderer whose output shows what it saw; `fail` makes it throw (a rendering bug). */
function renderer(name: string, fail = false): Renderer {
  return {
    name,
    render: (parsed) => {
      if (fail) throw new Error('renderer bug');
      return Buffer.from(`${name}:${parsed.root.type}/${parsed.root.subtype}:${parsed.envelope.subject ?? ''}`);
    },
  };
}

export function runSyncConformance(engine: string, factory: SyncEngineFactory): void {
  describe(`storage sync reads and batch writes [${engine}]`, () => {
    let h: SyncHarness;
    let store: Store;
    before(async () => {
      h = await factory({ renderers: [renderer('test.a.1'), renderer('test.broken.1', true)] });
      store = h.store;
    });
    after(async () => h.cleanup());

    it('lists summary columns for UID ranges, flags shared between equal states', async () => {
      const box = await inbox(store, await newUser(store));
      const flags = [['\\Seen'], [], ['\\Seen'], ['\\Flagged', 'Work'], ['\\Flagged', 'Work']];
      const appended = [];
      for (const f of flags) appended.push(await put(store, box, textMessage(), { flags: f, date: new Date(Date.UTC(2025, 0, appended.length + 1)) }));
      const cols = await store.messages.summaryColumns(box.id, [[2, 4]], { modseq: true, size: true });
      assert.deepEqual([...cols.uids], [2, 3, 4]);
      assert.deepEqual(cols.flags.map((f) => [...f]), [[], ['\\Seen'], ['\\Flagged', 'Work']]);
      assert.deepEqual([...(cols.modseqs ?? [])], appended.slice(1, 4).map((a) => a.modseq));
      assert.deepEqual([...(cols.sizes ?? [])], appended.slice(1, 4).map((a) => a.size));
      assert.equal(cols.internalDates, null, 'not asked for');
      const all = await store.messages.summaryColumns(box.id, [[1, 100]], { internalDate: true });
      assert.equal(all.flags[0], all.flags[2], 'equal flags, one array');
      assert.equal(all.flags[3], all.flags[4]);
      assert.ok(Object.isFrozen(all.flags[0]));
      assert.equal(all.internalDates?.[4], Date.UTC(2025, 0, 5));
      assert.equal((await store.messages.summaryColumns(box.id, [])).uids.length, 0);
    });

    it('leaves out record parts not asked for, and reading one throws', async () => {
      const box = await inbox(store, await newUser(store));
      const raw = multipartMessage({ subject: 'parts' });
      await put(store, box, raw);
      const [full] = await store.messages.getRecords(box.id, [1]);
      assert.ok(full);
      assert.equal(full.headerLength, full.mime.bodyStart, 'header length without the MIME tree');
      const [light] = await store.messages.getRecords(box.id, [1], { blob: false, header: false, envelope: false, mime: false, overview: false });
      assert.ok(light);
      assert.deepEqual([light.uid, light.size, light.modseq, light.flags], [full.uid, full.size, full.modseq, full.flags]);
      for (const read of [() => light.blob, () => light.header, () => light.envelope, () => light.mime, () => light.subject, () => light.headerLength]) {
        assert.throws(read, /not loaded/);
      }
      const [some] = await store.messages.getRecords(box.id, [1], { header: false, envelope: false, mime: false, overview: false });
      assert.equal(some?.blob, full.blob);
      assert.equal(some?.headerLength, full.headerLength);
    });

    it('stores renditions when a body is first stored and returns those asked for', async () => {
      const box = await inbox(store, await newUser(store));
      await put(store, box, textMessage({ subject: 'rendered' }));
      const [r] = await store.messages.getRecords(box.id, [1], { renditions: ['test.a.1', 'test.broken.1', 'test.none.1'] });
      assert.equal(r?.rendition('test.a.1')?.toString(), 'test.a.1:text/plain:rendered');
      assert.equal(r?.rendition('test.broken.1'), null, 'a throwing renderer stores nothing and refuses no mail');
      assert.equal(r?.rendition('test.none.1'), null, 'no such renderer');
      const [plain] = await store.messages.getRecords(box.id, [1]);
      assert.equal(plain?.rendition('test.a.1'), null, 'not asked for');
    });

    it('reads renditions along with summary columns, null where there is none', async () => {
      const box = await inbox(store, await newUser(store));
      for (const subject of ['one', 'two', 'three']) await put(store, box, textMessage({ subject }), { flags: subject === 'two' ? ['\\Seen'] : [] });
      const cols = await store.messages.summaryColumns(box.id, [[1, 1], [3, 9]], { size: true, renditions: ['test.broken.1', 'test.a.1'] });
      assert.deepEqual([...cols.uids], [1, 3]);
      assert.deepEqual(cols.flags.map((f) => [...f]), [[], []]);
      assert.equal(cols.sizes?.length, 2);
      assert.equal(cols.modseqs, null, 'not asked for');
      assert.deepEqual(cols.renditions[0], [null, null], 'the failed renderer stored nothing');
      assert.deepEqual(cols.renditions[1]?.map((r) => r?.toString()), ['test.a.1:text/plain:one', 'test.a.1:text/plain:three']);
      const plain = await store.messages.summaryColumns(box.id, [[1, 3]]);
      assert.deepEqual(plain.renditions, [], 'none asked for');
      assert.deepEqual((await store.messages.summaryColumns(box.id, [], { renditions: ['test.a.1'] })).renditions, [[]]);
    });

    it('changes the flags of many messages in one modseq, listing unchanged ones only when asked', async () => {
      const user = await newUser(store);
      const box = await inbox(store, user);
      for (let i = 0; i < 30; i++) await put(store, box, textMessage(), { flags: i % 3 === 0 ? ['\\Seen'] : [] });
      const before = (await store.mailboxes.counters(box.id)).highestModseq;
      const mark = h.events.length;
      const r1 = await store.messages.updateFlags(box.id, [[1, 30]], { mode: 'add', flags: ['\\Seen'], listUnchanged: false });
      assert.equal(r1.previousModseq, before);
      assert.equal(r1.modseq, (await store.mailboxes.counters(box.id)).highestModseq);
      assert.deepEqual(r1.changed.map((c) => c.uid), Array.from({ length: 30 }, (_, i) => i + 1).filter((u) => (u - 1) % 3 !== 0));
      assert.deepEqual(r1.unchanged, []);
      const events = h.events.slice(mark).filter((e) => e.mailboxId === box.id && e.kind === 'flags');
      assert.deepEqual(events.map((e) => e.uid).sort((a, b) => (a ?? 0) - (b ?? 0)), r1.changed.map((c) => c.uid));
      assert.ok(events.every((e) => e.modseq === r1.modseq && (e.journalId ?? 0) > 0));
      const journal = (await store.journal.since(user.id, 0, 10000)).filter((j) => j.kind === 'flags' && j.mailboxId === box.id);
      assert.equal(journal.length, 20);
      assert.ok(journal.every((j) => j.flags?.join() === '\\Seen'));
      const r2 = await store.messages.updateFlags(box.id, [[1, 30]], { mode: 'add', flags: ['\\Seen'] });
      assert.equal(r2.changed.length, 0);
      assert.equal(r2.unchanged.length, 30);
      assert.equal(r2.modseq, r1.modseq, 'nothing changed, no new modseq');
    });

    it('handles many distinct keyword states, with UNCHANGEDSINCE', async () => {
      const box = await inbox(store, await newUser(store));
      for (let i = 0; i < 40; i++) await put(store, box, textMessage(), { flags: [`k${i}`, ...(i % 2 ? ['\\Flagged'] : [])] });
      const base = (await store.mailboxes.counters(box.id)).highestModseq;
      await store.messages.updateFlags(box.id, [[40, 40]], { mode: 'add', flags: ['\\Answered'] });
      const r = await store.messages.updateFlags(box.id, [[1, 40]], { mode: 'remove', flags: ['\\Flagged', 'K3'], unchangedSince: base });
      assert.deepEqual(r.conflicts, [40]);
      // Message uid u carries keyword k(u-1), and \Flagged when u is even.
      assert.deepEqual(r.changed.map((c) => c.uid), Array.from({ length: 19 }, (_, i) => 2 * i + 2));
      assert.deepEqual(r.changed.find((c) => c.uid === 4)?.flags, [], 'keywords match case-insensitively');
      assert.deepEqual(r.changed.find((c) => c.uid === 2)?.flags, ['k1']);
      assert.deepEqual(r.unchanged.map((c) => c.uid), Array.from({ length: 20 }, (_, i) => 2 * i + 1));
      const cols = await store.messages.summaryColumns(box.id, [[1, 6]]);
      assert.deepEqual(cols.flags.map((f) => [...f]), [['k0'], ['k1'], ['k2'], [], ['k4'], ['k5']]);
    });

    it('reads small and large byte ranges of a body, clipped at its end', async () => {
      const box = await inbox(store, await newUser(store));
      const big = Buffer.alloc(300 * 1024, 'x');
      const raw = Buffer.concat([Buffer.from('Subject: ranges\r\n\r\n'), big]);
      const prefix = Buffer.from('Delivered-To: a@example.org\r\n');
      await put(store, box, raw, { prefix });
      const [r] = await store.messages.getRecords(box.id, [1]);
      assert.ok(r);
      const whole = Buffer.concat([prefix, raw]);
      assert.deepEqual(await store.messages.read(r, 5, 40), whole.subarray(5, 40));
      assert.deepEqual(await store.messages.read(r, 0, whole.length), whole, 'beyond the small-read size');
      assert.deepEqual(await store.blobs.read(r.blob, raw.length - 10, raw.length + 50), raw.subarray(raw.length - 10));
      await assert.rejects(store.blobs.read('0'.repeat(64), 0, 10), NotFoundError);
    });

    it('commits writes issued together, each succeeding or failing on its own', async () => {
      const user = await newUser(store);
      const box = await inbox(store, user);
      for (let i = 0; i < 4; i++) await put(store, box, textMessage());
      const results = await Promise.allSettled([
        store.messages.updateFlags(box.id, [[1, 1]], { mode: 'add', flags: ['\\Seen'] }),
        store.messages.updateFlags('000000000000000000000000', [[1, 1]], { mode: 'add', flags: ['\\Seen'] }),
        store.messages.updateFlags(box.id, [[2, 3]], { mode: 'set', flags: ['\\Flagged'] }),
        put(store, box, textMessage()),
      ]);
      assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
      const [a, , b, c] = results;
      assert.ok(a.status === 'fulfilled' && b.status === 'fulfilled' && c.status === 'fulfilled');
      assert.ok(b.value.modseq > a.value.modseq && c.value.modseq > b.value.modseq, 'one modseq each, in order');
      assert.equal(b.value.previousModseq, a.value.modseq);
      const changes = await store.messages.changesSince(box.id, a.value.previousModseq);
      assert.deepEqual(changes.changed.map((x) => x.uid), [1, 2, 3, 5]);
    });
  });
}
