/**
 * The process-wide UID lists behind SELECT: a list is only ever brought
 * forward through storage's journal, so every answer equals a fresh read of
 * the mailbox's UIDs, whatever happened in between (appends, expunges, moves
 * in, flag changes, a pruned journal, another mailbox under the same id).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runPages, type IndexRun } from '../../../src/imap/message-set.js';
import { UidLists } from '../../../src/imap/uid-lists.js';
import { UidMap } from '../../../src/imap/uid-map.js';
import type { Mailbox } from '../../../src/storage/types.js';
import { textMessage } from '../../helpers/messages.js';
import { openTestStore, putMessage, type TestStore } from '../fetch/helpers.js';

describe('UidLists', () => {
  let t: TestStore;
  before(async () => {
    t = await openTestStore();
    for (let i = 0; i < 6; i++) await putMessage(t, textMessage());
  });
  after(async () => t.close());

  const current = async (): Promise<Mailbox> => {
    const box = await t.store.mailboxes.getMailboxById(t.mailbox.userId, t.mailbox.id);
    assert.ok(box);
    return box;
  };
  const fresh = async (): Promise<number[]> => [...(await t.store.messages.uids(t.mailbox.id))];

  it('answers like a fresh read through appends, expunges and flag changes', async () => {
    const lists = new UidLists(t.store);
    assert.deepEqual([...(await lists.uids(await current()))], await fresh());
    await putMessage(t, textMessage());
    await t.store.messages.updateFlags(t.mailbox.id, [[1, 7]], { mode: 'add', flags: ['\\Seen'] });
    await t.store.messages.expunge(t.mailbox.id, { ranges: [[2, 3]], onlyDeleted: false });
    await putMessage(t, textMessage());
    await t.store.messages.expunge(t.mailbox.id, { ranges: [[8, 8]], onlyDeleted: false });
    const box = await current();
    const mine = await lists.uids(box);
    assert.deepEqual([...mine], await fresh());
    assert.deepEqual([...mine], [1, 4, 5, 6, 7]);
    // Shared with the cache: a session's map copies it on its first change instead of writing into it.
    assert.equal(await lists.uids(box), mine, 'the same list, not a copy per SELECT');
    const map = new UidMap(mine);
    assert.deepEqual(map.remove(new Set([4, 6])), [2, 4]);
    map.append([9]);
    assert.deepEqual([...map.view()], [1, 5, 7, 9]);
    assert.deepEqual([...(await lists.uids(box))], [1, 4, 5, 6, 7], 'the shared list is untouched by the map');
    const other = new UidMap(mine);
    other.append([8]);
    assert.deepEqual([...mine], [1, 4, 5, 6, 7], 'appending copies too');
    assert.deepEqual([...other.view()], [1, 4, 5, 6, 7, 8]);
  });

  it('reads afresh when the mailbox is a different one (UIDVALIDITY) or the journal no longer reaches back', async () => {
    const lists = new UidLists(t.store);
    const box = await current();
    await lists.uids(box);
    assert.deepEqual([...(await lists.uids({ ...box, uidValidity: box.uidValidity + 1 }))], await fresh());
    // The journal pruned past the entry: the expunge is no longer in it, only a fresh read knows.
    await lists.uids(await current());
    await t.store.messages.expunge(t.mailbox.id, { ranges: [[4, 4]], onlyDeleted: false });
    await putMessage(t, textMessage());
    await t.store.maintenance.run(new Date(Date.now() + 3650 * 24 * 3600 * 1000));
    const after = await current();
    assert.equal((await t.store.messages.changesSince(t.mailbox.id, box.highestModseq)).complete, false);
    assert.deepEqual([...(await lists.uids(after))], await fresh());
    assert.ok(!(await fresh()).includes(4));
  });

  it('keeps at most its UID budget', async () => {
    const lists = new UidLists(t.store, 3);
    const box = await current();
    assert.deepEqual([...(await lists.uids(box))], await fresh(), 'too big to keep, still answered');
  });
});

describe('UidMap.seqsOfAscending', () => {
  it('pairs ascending UIDs with sequence numbers in one pass, 0 for unknown ones', () => {
    const map = new UidMap(Uint32Array.from([2, 5, 9, 10, 40]));
    assert.deepEqual(map.seqsOfAscending([1, 2, 9, 11, 40, 41]), [0, 1, 3, 0, 5, 0]);
    assert.deepEqual(map.seqsOfAscending([]), []);
  });
});

describe('runPages', () => {
  it('slices runs into pages of at most `size` indexes, in order', () => {
    const runs: IndexRun[] = [
      { start: 0, end: 3 },
      { start: 5, end: 12 },
      { start: 20, end: 21 },
    ];
    const pages = [...runPages(runs, 4)];
    assert.deepEqual(pages, [
      [{ start: 0, end: 3 }, { start: 5, end: 6 }],
      [{ start: 6, end: 10 }],
      [{ start: 10, end: 12 }, { start: 20, end: 21 }],
    ]);
    assert.deepEqual([...runPages([], 4)], []);
  });
});
