/**
 * SEARCH end to end below the handler: parse → compileSearch → the real
 * store's search, on a mailbox whose sequence numbers and UIDs differ (the
 * first message was expunged). Dates are chosen around local midnights, so
 * the table holds in any TZ the tests run in.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TokenCursor } from '../../../src/imap/proto/cursor.js';
import { readSearchProgram } from '../../../src/imap/proto/search.js';
import { compileSearch, type SearchContext } from '../../../src/imap/search/compile.js';
import type { MessageRecord } from '../../../src/storage/types.js';
import { openTestStore, putMessage, type TestStore } from '../fetch/helpers.js';

const crlf = (...lines: string[]): string => lines.join('\r\n');
const NOW = Date.now();

interface Spec {
  label: string;
  headers: string[];
  body: string;
  flags?: string[];
  date: Date;
}

const SPECS: Spec[] = [
  {
    label: 'm1',
    headers: ['From: Alice <alice@example.org>', 'To: Bob <bob@example.net>', 'Cc: carol@example.com', 'Subject: Quarterly report', 'Date: Tue, 05 Mar 2024 12:00:00 +0000'],
    body: 'Numbers are up.',
    flags: ['\\Seen'],
    date: new Date(2024, 2, 5, 0, 0, 0),
  },
  {
    label: 'm2',
    headers: ['From: Bob <bob@example.net>', 'To: alice@example.org', 'Subject: Lunch', 'Date: Mon, 04 Mar 2024 23:30:00 -0800'],
    body: 'Pizza with pineapple?',
    flags: ['\\Flagged', '\\Answered', '$Work'],
    date: new Date(2024, 2, 4, 23, 59, 59),
  },
  {
    label: 'm3',
    headers: ['From: carol@example.com', 'Subject: big attachment'],
    body: 'z'.repeat(6000),
    flags: ['\\Deleted'],
    date: new Date(2024, 2, 6, 0, 0, 0),
  },
  {
    label: 'm4',
    headers: ['From: Eve <eve@example.com>', 'Bcc: Dave <dave@example.com>', 'Subject: draft', 'Date: Wed, 01 Jan 2025 10:00:00 +0000'],
    body: 'unfinished',
    flags: ['\\Draft', '$work'],
    date: new Date(NOW - 3600_000),
  },
  {
    label: 'm5',
    headers: ['From: Frank <frank@example.com>', 'X-Priority: 1 (Highest)', 'Subject: urgent', 'Date: Wed, 01 Jan 2025 10:00:00 +0000'],
    body: 'call me',
    date: new Date(NOW - 10_000),
  },
];

let t: TestStore;
const byUid = new Map<number, string>();
const records = new Map<string, MessageRecord>();
let ctx: SearchContext;

async function search(text: string, context: SearchContext = ctx): Promise<string[]> {
  const c = TokenCursor.fromText(text);
  const query = compileSearch(readSearchProgram(c).key, context);
  const uids = await t.store.messages.search(t.mailbox.id, query);
  return uids.map((u) => byUid.get(u) ?? `uid${u}`);
}

/** Messages whose Date: header instant falls on that local calendar day (computed independently of the implementation). */
function sentOn(y: number, m: number, d: number): string[] {
  return SPECS.filter((s) => {
    const header = s.headers.find((h) => h.startsWith('Date: '));
    if (header === undefined) return false;
    const at = new Date(Date.parse(header.slice(6)));
    return at.getFullYear() === y && at.getMonth() === m - 1 && at.getDate() === d;
  }).map((s) => s.label);
}

before(async () => {
  t = await openTestStore();
  const gone = await putMessage(t, Buffer.from(crlf('Subject: expunged', '', 'x', '')));
  await t.store.messages.expunge(t.mailbox.id, { ranges: [[gone.uid, gone.uid]], onlyDeleted: false });
  for (const s of SPECS) {
    const r = await putMessage(t, Buffer.from(crlf(...s.headers, '', s.body, '')), { flags: s.flags, date: s.date });
    byUid.set(r.uid, s.label);
    records.set(s.label, r);
  }
  const uids = await t.store.messages.uids(t.mailbox.id);
  const recent = new Set([records.get('m4')?.uid, records.get('m5')?.uid]);
  ctx = { uids, recent: (uid) => recent.has(uid), saved: [records.get('m2')?.uid ?? 0, records.get('m4')?.uid ?? 0], now: NOW };
});
after(async () => t.close());

describe('SEARCH against the store', () => {
  const all = ['m1', 'm2', 'm3', 'm4', 'm5'];
  const cases: Array<[string, string[] | (() => string[])]> = [
    ['ALL', all],
    ['1', ['m1']],
    ['2:3', ['m2', 'm3']],
    ['*', ['m5']],
    ['3:*', ['m3', 'm4', 'm5']],
    ['4:2', ['m2', 'm3', 'm4']],
    ['1,5', ['m1', 'm5']],
    ['6:7', []],
    ['5:100', ['m5']],
    ['UID 1:*', all],
    ['UID *', ['m5']],
    ['UID 999:*', ['m5']],
    ['UID 1', []],
    ['UID 2,4', ['m1', 'm3']],
    ['RECENT', ['m4', 'm5']],
    ['NEW', ['m4', 'm5']],
    ['OLD', ['m1', 'm2', 'm3']],
    ['SEEN', ['m1']],
    ['UNSEEN', ['m2', 'm3', 'm4', 'm5']],
    ['FLAGGED ANSWERED', ['m2']],
    ['DELETED', ['m3']],
    ['UNDELETED DRAFT', ['m4']],
    ['KEYWORD $Work', ['m2', 'm4']],
    ['UNKEYWORD $WORK', ['m1', 'm3', 'm5']],
    ['KEYWORD $Nope', []],
    ['LARGER 5000', ['m3']],
    ['SMALLER 5000', ['m1', 'm2', 'm4', 'm5']],
    ['FROM alice', ['m1']],
    ['FROM "ALICE"', ['m1']],
    ['TO bob', ['m1']],
    ['CC carol', ['m1']],
    ['BCC dave', ['m4']],
    ['SUBJECT report', ['m1']],
    ['HEADER X-Priority ""', ['m5']],
    ['HEADER x-priority highest', ['m5']],
    ['BODY pineapple', ['m2']],
    ['TEXT PINEAPPLE', ['m2']],
    ['TEXT Quarterly', ['m1']],
    ['BODY Quarterly', []],
    ['ON 5-Mar-2024', ['m1']],
    ['ON 4-Mar-2024', ['m2']],
    ['BEFORE 5-Mar-2024', ['m2']],
    ['SINCE 5-Mar-2024', ['m1', 'm3', 'm4', 'm5']],
    ['SINCE 6-Mar-2024', ['m3', 'm4', 'm5']],
    ['SENTON 5-Mar-2024', () => sentOn(2024, 3, 5)],
    ['SENTON 4-Mar-2024', () => sentOn(2024, 3, 4)],
    // m3 has no Date: header: no SENT* key matches it, whatever the date.
    ['SENTBEFORE 1-Jan-2100', ['m1', 'm2', 'm4', 'm5']],
    ['SENTSINCE 1-Jan-1970', ['m1', 'm2', 'm4', 'm5']],
    ['YOUNGER 60', ['m5']],
    ['YOUNGER 7200', ['m4', 'm5']],
    ['OLDER 7200', ['m1', 'm2', 'm3']],
    ['NOT SEEN', ['m2', 'm3', 'm4', 'm5']],
    ['NOT NOT SEEN', ['m1']],
    ['OR SEEN FLAGGED', ['m1', 'm2']],
    ['(SEEN FLAGGED)', []],
    ['OR (FROM alice) (FROM bob) SUBJECT Lunch', ['m2']],
    ['NOT (OR SEEN DELETED)', ['m2', 'm4', 'm5']],
    ['OR 1 UID 5', () => ['m1', byUid.get(5) ?? 'none']],
    ['$', ['m2', 'm4']],
    ['UID $', ['m2', 'm4']],
    ['NOT $', ['m1', 'm3', 'm5']],
  ];
  for (const [text, want] of cases) {
    it(text, async () => assert.deepEqual(await search(text), typeof want === 'function' ? want() : want));
  }

  it('MODSEQ finds messages changed at or after a mod-sequence', async () => {
    const m4 = records.get('m4');
    assert.ok(m4);
    assert.deepEqual(await search(`MODSEQ ${m4.modseq}`), ['m4', 'm5']);
  });

  it('$ without a saved result matches nothing', async () => {
    assert.deepEqual(await search('$', { ...ctx, saved: null }), []);
    assert.deepEqual(await search('OR $ SEEN', { ...ctx, saved: null }), ['m1']);
  });

  it('reports only messages the session knows', async () => {
    const known = { ...ctx, uids: ctx.uids.subarray(0, 3) };
    assert.deepEqual(await search('ALL', known), ['m1', 'm2', 'm3']);
    assert.deepEqual(await search('UID 1:4294967295', known), ['m1', 'm2', 'm3']);
    assert.deepEqual(await search('*', known), ['m3']);
  });

  it('handles a long scattered saved result', async () => {
    // 1000+ disjoint ranges: more than one storage uid node may hold (SQLite's expression depth limit).
    const saved = [...['m1', 'm3', 'm5'].map((l) => records.get(l)?.uid ?? 0), ...Array.from({ length: 1200 }, (_, i) => 100 + i * 2)];
    // The session may still know UIDs that storage has expunged since; they simply match nothing.
    const uids = Uint32Array.from({ length: 5000 }, (_, i) => i + 1);
    assert.deepEqual(await search('$', { ...ctx, uids, saved }), ['m1', 'm3', 'm5']);
  });

  it('matches nothing in an empty mailbox', async () => {
    const empty = { ...ctx, uids: new Uint32Array(0) };
    for (const text of ['ALL', '1:*', 'UID 1:*', 'NOT SEEN', '*']) assert.deepEqual(await search(text, empty), [], text);
  });
});
