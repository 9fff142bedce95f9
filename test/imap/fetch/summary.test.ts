/**
 * The text path for summary FETCHes (`UID FETCH 1:* (UID FLAGS)`, header
 * listings with stored ENVELOPE/BODY/BODYSTRUCTURE) against the value path
 * every other FETCH takes: the same bytes for every item combination, flag
 * state, \Recent, UID/MODSEQ inclusion and CHANGEDSINCE.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fetchResponse, type FetchRenderContext } from '../../../src/imap/fetch/render.js';
import { lacksRendition, summaryFields, summaryLines } from '../../../src/imap/fetch/summary.js';
import { imapRenderers, RENDITIONS } from '../../../src/imap/fetch/renditions.js';
import { serializeLineParts, type ImapValue } from '../../../src/imap/proto/values.js';
import { multipartMessage, textMessage } from '../../helpers/messages.js';
import { loadCorpus } from './corpus.js';
import { fetchItems, openTestStore, putMessage, type TestStore } from './helpers.js';

const STAR: ImapValue = { kind: 'raw', value: '*' };
const FETCH: ImapValue = { kind: 'raw', value: 'FETCH' };

/** What the value path writes for every message of the mailbox, through the same serialisation as the writer. */
async function viaValues(t: TestStore, items: string, ctx: FetchRenderContext, since: number | null): Promise<string> {
  const uids = [...(await t.store.messages.uids(t.mailbox.id))];
  const records = await t.store.messages.getRecords(t.mailbox.id, uids);
  let text = '';
  for (const r of records) {
    if (since !== null && r.modseq <= since) continue;
    const values = await fetchResponse(r, fetchItems(items), ctx);
    for (const piece of serializeLineParts([STAR, r.uid * 10, FETCH, values])) {
      assert.ok(Buffer.isBuffer(piece));
      text += piece.toString('latin1');
    }
  }
  return text;
}

async function viaText(t: TestStore, items: string, ctx: FetchRenderContext, since: number | null): Promise<string> {
  const list = fetchItems(items);
  const fields = summaryFields(list, ctx);
  const cols = await t.store.messages.summaryColumns(t.mailbox.id, [[1, 1_000_000]], { ...fields, modseq: fields.modseq || since !== null });
  return summaryLines(cols, list, ctx, (uid) => uid * 10, since);
}

describe('summary FETCH lines', () => {
  let t: TestStore;
  let middle = 0;
  before(async () => {
    t = await openTestStore();
    const flagSets = [[], ['\\Seen'], ['\\Seen', '\\Flagged', '$Label1'], ['\\Deleted', 'Work'], ['\\Draft', '\\Answered', 'not a valid atom', 'ok']];
    for (let i = 0; i < 12; i++) {
      const r = await putMessage(t, textMessage(), { flags: flagSets[i % flagSets.length], date: new Date(Date.UTC(2024, i, 3, 4, 5, 6)) });
      if (i === 6) middle = r.modseq;
    }
  });
  after(async () => t.close());

  const combos = ['(UID FLAGS)', '(FLAGS)', 'FAST', '(RFC822.SIZE INTERNALDATE UID)', '(MODSEQ FLAGS)', '(UID)', '(FLAGS UID FLAGS)'];
  const contexts: Array<[string, Omit<FetchRenderContext, 'store'>]> = [
    ['plain', { includeUid: false, includeModseq: false }],
    ['UID FETCH', { includeUid: true, includeModseq: false }],
    ['CHANGEDSINCE', { includeUid: true, includeModseq: true }],
    ['\\Recent on odd UIDs', { includeUid: false, includeModseq: false, recent: (uid) => uid % 2 === 1 }],
  ];
  for (const items of combos) {
    for (const [label, base] of contexts) {
      it(`${items}, ${label}`, async () => {
        const ctx: FetchRenderContext = { store: t.store, ...base };
        const since = label === 'CHANGEDSINCE' ? middle : null;
        const text = await viaText(t, items, ctx, since);
        assert.equal(text, await viaValues(t, items, ctx, since));
        assert.ok(text.length > 0);
      });
    }
  }

  it('skips messages without a sequence number', async () => {
    const list = fetchItems('(UID FLAGS)');
    const ctx: FetchRenderContext = { store: t.store, includeUid: true, includeModseq: false };
    const cols = await t.store.messages.summaryColumns(t.mailbox.id, [[1, 1_000_000]]);
    const text = summaryLines(cols, list, ctx, (uid) => (uid === 3 ? 0 : uid), null);
    assert.equal(text.split('\r\n').length - 1, cols.uids.length - 1);
    assert.doesNotMatch(text, /UID 3 /);
  });
});

describe('summary FETCH lines with stored renditions', () => {
  let t: TestStore;
  let plain: TestStore;
  let middle = 0;
  before(async () => {
    t = await openTestStore(imapRenderers);
    plain = await openTestStore();
    const eightBit = Buffer.concat([Buffer.from('Subject: caf'), Buffer.from([0xe9]), Buffer.from('\r\nFrom: a@example.org\r\n\r\nbody\r\n')]);
    const bodies = [textMessage(), multipartMessage({ subject: 'parts' }), eightBit, ...loadCorpus().map((m) => m.raw)];
    for (const [i, raw] of bodies.entries()) {
      const r = await putMessage(t, raw, { flags: i % 3 === 0 ? ['\\Seen'] : [] });
      await putMessage(plain, raw);
      if (i === 2) middle = r.modseq;
    }
  });
  after(async () => {
    await t.close();
    await plain.close();
  });

  const combos = ['ENVELOPE', 'BODYSTRUCTURE', 'BODY', '(UID FLAGS RFC822.SIZE INTERNALDATE ENVELOPE BODYSTRUCTURE)', '(BODYSTRUCTURE ENVELOPE BODY FLAGS)', 'ALL', 'FULL'];
  for (const items of combos) {
    for (const label of ['plain', 'CHANGEDSINCE']) {
      it(`${items}, ${label}`, async () => {
        const since = label === 'CHANGEDSINCE' ? middle : null;
        const ctx: FetchRenderContext = { store: t.store, includeUid: since !== null, includeModseq: since !== null };
        const list = fetchItems(items);
        const fields = summaryFields(list, ctx);
        assert.ok(fields.renditions.length > 0);
        const cols = await t.store.messages.summaryColumns(t.mailbox.id, [[1, 1_000_000]], { ...fields, modseq: fields.modseq || since !== null });
        assert.equal(lacksRendition(cols), false);
        const text = summaryLines(cols, list, ctx, (uid) => uid * 10, since);
        // Rendered afresh from each record's envelope and MIME tree, as a session without stored text would.
        assert.equal(text, await viaValues(t, items, ctx, since));
        assert.ok(text.length > 0);
      });
    }
  }

  it('carries 8-bit renditions as bytes, sent unchanged', async () => {
    const ctx: FetchRenderContext = { store: t.store, includeUid: false, includeModseq: false };
    const cols = await t.store.messages.summaryColumns(t.mailbox.id, [[3, 3]], { renditions: [RENDITIONS.envelope] });
    const envelope = cols.renditions[0]?.[0];
    assert.ok(Buffer.isBuffer(envelope));
    const text = summaryLines(cols, fetchItems('ENVELOPE'), ctx, (uid) => uid, null);
    assert.ok(envelope.some((b) => b >= 0x80));
    assert.equal(Buffer.from(text, 'latin1').compare(Buffer.concat([Buffer.from('* 3 FETCH (ENVELOPE '), envelope, Buffer.from(')\r\n')])), 0, 'the stored octets, unchanged');
  });

  it('says when a body has no stored rendition, and will not write one without it', async () => {
    const cols = await plain.store.messages.summaryColumns(plain.mailbox.id, [[1, 2]], { renditions: [RENDITIONS.bodystructure] });
    assert.deepEqual(cols.renditions, [[null, null]]);
    assert.equal(lacksRendition(cols), true);
    const ctx: FetchRenderContext = { store: plain.store, includeUid: false, includeModseq: false };
    assert.throws(() => summaryLines(cols, fetchItems('BODYSTRUCTURE'), ctx, (uid) => uid, null), TypeError);
  });
});
