/**
 * Stored renditions (ENVELOPE, BODY, BODYSTRUCTURE rendered once at ingest)
 * against rendering on every fetch: for every corpus message the bytes a
 * client receives are identical either way, bodies stored before the
 * renderers existed fall back to rendering, and UTF8=ACCEPT sessions never
 * use the 7-bit stored text.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fetchResponse, recordFields, type FetchRenderContext } from '../../../src/imap/fetch/render.js';
import { imapRenderers, recordsWithRenditions, RENDITIONS } from '../../../src/imap/fetch/renditions.js';
import { storageSchema } from '../../../src/config/sections/storage.js';
import { SqliteStore } from '../../../src/storage/sqlite/engine.js';
import { tempDir } from '../../helpers/tmp.js';
import { loadCorpus } from './corpus.js';
import { fetchItems, openTestStore, putMessage, wireBytes, type TestStore } from './helpers.js';

const ITEMS = ['ENVELOPE', 'BODY', 'BODYSTRUCTURE', '(UID ENVELOPE BODYSTRUCTURE BODY.PEEK[HEADER.FIELDS (SUBJECT)])'];

async function answer(t: TestStore, uid: number, itemText: string, useRenditions: boolean): Promise<Buffer> {
  const items = fetchItems(itemText);
  const [record] = await recordsWithRenditions(t.store, t.mailbox.id, [uid], recordFields(items, useRenditions));
  assert.ok(record, `uid ${uid} not found`);
  const ctx: FetchRenderContext = { store: t.store, includeUid: false, includeModseq: false };
  return wireBytes(await fetchResponse(record, items, ctx));
}

/** A stored rendition as one character per octet, whether it came back as text or bytes. */
const octets = (v: string | Buffer | null): string | null => (typeof v === 'string' || v === null ? v : v.toString('latin1'));

describe('stored renditions', () => {
  let rendered: TestStore;
  let plain: TestStore;
  before(async () => {
    rendered = await openTestStore(imapRenderers);
    plain = await openTestStore();
  });
  after(async () => {
    await rendered.close();
    await plain.close();
  });

  for (const message of loadCorpus()) {
    it(`${message.name}: stored text is what rendering sends`, async () => {
      const a = await putMessage(rendered, message.raw);
      const b = await putMessage(plain, message.raw);
      const [stored] = await rendered.store.messages.getRecords(rendered.mailbox.id, [a.uid], { renditions: Object.values(RENDITIONS) });
      for (const name of Object.values(RENDITIONS)) assert.notEqual(stored?.rendition(name) ?? null, null, `${name} stored`);
      for (const items of ITEMS) {
        const fromStore = await answer(rendered, a.uid, items, true);
        assert.deepEqual(fromStore.toString('latin1'), (await answer(plain, b.uid, items, false)).toString('latin1'), items);
        // A body without renditions (stored before they existed) is rendered on the fly, identically.
        assert.deepEqual(await answer(plain, b.uid, items, true), fromStore, `${items} (fallback)`);
      }
    });
  }

  it('keeps 8-bit renditions as bytes and 7-bit ones as text', async () => {
    const raw = Buffer.concat([Buffer.from('Subject: caf'), Buffer.from([0xe9]), Buffer.from('\r\nFrom: a@example.org\r\n\r\nbody\r\n')]);
    const r = await putMessage(rendered, raw);
    const [record] = await rendered.store.messages.getRecords(rendered.mailbox.id, [r.uid], { renditions: [RENDITIONS.envelope, RENDITIONS.body] });
    const envelope = record?.rendition(RENDITIONS.envelope);
    assert.ok(Buffer.isBuffer(envelope), 'a literal with 8-bit bytes stays a Buffer');
    assert.ok(envelope.some((b) => b >= 0x80));
    assert.equal(typeof record?.rendition(RENDITIONS.body), 'string');
    assert.equal(record?.rendition(RENDITIONS.bodystructure), null, 'not asked for');
  });

  it('maintenance gives bodies stored without the renderers the same renditions delivery stores', async () => {
    const dir = tempDir('eider-backfill-imap-');
    try {
      const cfg = storageSchema.parse({ dataDir: dir.path });
      let store = new SqliteStore(cfg);
      const user = await store.accounts.createUser({ username: `backfill${process.pid}`, passwordHash: null });
      const mailbox = await store.mailboxes.getMailbox(user.id, 'INBOX');
      assert.ok(mailbox);
      const corpus = loadCorpus();
      for (const m of corpus) await putMessage({ store, mailbox, close: async () => undefined }, m.raw);
      await store.close();
      // The same directory opened by a build with the IMAP renderers.
      store = new SqliteStore(cfg, { renderers: imapRenderers });
      try {
        const names = Object.values(RENDITIONS);
        const before = await store.messages.getRecords(mailbox.id, [1], { renditions: names });
        assert.equal(before[0]?.rendition(RENDITIONS.bodystructure), null);
        assert.equal((await store.maintenance.run()).renditionsBackfilled, corpus.length * names.length);
        const filled = await store.messages.getRecords(mailbox.id, corpus.map((_, i) => i + 1), { renditions: names });
        for (const [i, m] of corpus.entries()) {
          const delivered = await putMessage(rendered, m.raw);
          const [fresh] = await rendered.store.messages.getRecords(rendered.mailbox.id, [delivered.uid], { renditions: names });
          for (const name of names) {
            assert.equal(octets(filled[i]?.rendition(name) ?? null), octets(fresh?.rendition(name) ?? null), `${m.name} ${name}`);
            assert.notEqual(fresh?.rendition(name) ?? null, null);
          }
        }
      } finally {
        await store.close();
      }
    } finally {
      dir.cleanup();
    }
  });

  it('UTF8=ACCEPT sessions read the envelope and MIME tree, not the 7-bit text', () => {
    const items = fetchItems('(ENVELOPE BODYSTRUCTURE BODY)');
    assert.deepEqual(recordFields(items, false).renditions, []);
    assert.equal(recordFields(items, false).mime, true);
    assert.equal(recordFields(items, false).envelope, true);
    const withText = recordFields(items, true);
    assert.deepEqual([...(withText.renditions ?? [])].sort(), [RENDITIONS.body, RENDITIONS.bodystructure, RENDITIONS.envelope].sort());
    assert.equal(withText.mime, false);
    assert.equal(withText.blob, false, 'no body read, so no blob row');
  });
});
