/** compileSearch: SEARCH key tree → storage query, as a pure table. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TokenCursor } from '../../../src/imap/proto/cursor.js';
import { readSearchProgram } from '../../../src/imap/proto/search.js';
import { compileSearch, uidsToRanges, type SearchContext } from '../../../src/imap/search/compile.js';
import type { MessageQuery } from '../../../src/storage/query.js';

const ctx: SearchContext = {
  uids: Uint32Array.from([3, 5, 6, 9, 10]),
  recent: (uid) => uid >= 9,
  saved: [9, 3, 5, 9],
  now: Date.UTC(2024, 5, 1, 12, 0, 0),
};

function compile(text: string, context: SearchContext = ctx): MessageQuery {
  const c = TokenCursor.fromText(text);
  return compileSearch(readSearchProgram(c).key, context);
}

/** The part of the query after the "only what the session knows" bound. */
function body(q: MessageQuery): MessageQuery {
  if (q.op === 'uid' && q.ranges.length === 1 && q.ranges[0]?.[0] === 3 && q.ranges[0][1] === 10) return { op: 'all' };
  assert.equal(q.op, 'and', JSON.stringify(q));
  if (q.op !== 'and') return q;
  assert.deepEqual(q.of[0], { op: 'uid', ranges: [[3, 10]] });
  const rest = q.of.slice(1);
  return rest.length === 1 ? (rest[0] ?? { op: 'all' }) : { op: 'and', of: rest };
}

const localDay = (y: number, m: number, d: number): number => new Date(y, m - 1, d).getTime();

describe('compileSearch', () => {
  const cases: Array<[string, MessageQuery]> = [
    ['ALL', { op: 'all' }],
    ['1', { op: 'uid', ranges: [[3, 3]] }],
    ['2:4', { op: 'uid', ranges: [[5, 9]] }],
    ['4:2', { op: 'uid', ranges: [[5, 9]] }],
    ['*', { op: 'uid', ranges: [[10, 10]] }],
    ['3:*', { op: 'uid', ranges: [[6, 10]] }],
    ['1,3,5', { op: 'uid', ranges: [[3, 3], [6, 6], [10, 10]] }],
    ['4:100', { op: 'uid', ranges: [[9, 10]] }],
    ['UID 4:9', { op: 'uid', ranges: [[4, 9]] }],
    ['UID 7:*', { op: 'uid', ranges: [[7, 10]] }],
    // RFC 3501 §6.4.8: n:* with n past the last UID still names the last message.
    ['UID 20:*', { op: 'uid', ranges: [[10, 20]] }],
    ['RECENT', { op: 'uid', ranges: [[9, 10]] }],
    ['OLD', { op: 'not', of: { op: 'uid', ranges: [[9, 10]] } }],
    ['NEW', { op: 'and', of: [{ op: 'uid', ranges: [[9, 10]] }, { op: 'flag', flag: '\\Seen', present: false }] }],
    ['SEEN', { op: 'flag', flag: '\\Seen', present: true }],
    ['UNDRAFT', { op: 'flag', flag: '\\Draft', present: false }],
    ['KEYWORD $Work', { op: 'flag', flag: '$Work', present: true }],
    ['UNKEYWORD $Work', { op: 'flag', flag: '$Work', present: false }],
    ['LARGER 500', { op: 'size', gt: 500 }],
    ['SMALLER 500', { op: 'size', lt: 500 }],
    ['FROM alice', { op: 'header', field: 'from', value: 'alice' }],
    ['BCC "Bob Smith"', { op: 'header', field: 'bcc', value: 'Bob Smith' }],
    ['HEADER X-Spam ""', { op: 'header', field: 'x-spam', value: '' }],
    ['BODY pineapple', { op: 'body', value: 'pineapple' }],
    ['TEXT "a b"', { op: 'text', value: 'a b' }],
    ['BEFORE 5-Mar-2024', { op: 'internalDate', lt: localDay(2024, 3, 5) }],
    ['ON 5-Mar-2024', { op: 'internalDate', gte: localDay(2024, 3, 5), lt: localDay(2024, 3, 6) }],
    ['SINCE 31-Dec-2023', { op: 'internalDate', gte: localDay(2023, 12, 31) }],
    ['SENTON 29-Feb-2024', { op: 'sentDate', gte: localDay(2024, 2, 29), lt: localDay(2024, 3, 1) }],
    ['YOUNGER 3600', { op: 'internalDate', gte: Date.UTC(2024, 5, 1, 11, 0, 0) }],
    ['OLDER 60', { op: 'internalDate', lt: Date.UTC(2024, 5, 1, 11, 59, 0) }],
    ['MODSEQ 42', { op: 'modseq', gte: 42 }],
    ['MODSEQ "/flags/\\\\Seen" all 42', { op: 'modseq', gte: 42 }],
    ['NOT SEEN', { op: 'not', of: { op: 'flag', flag: '\\Seen', present: true } }],
    ['NOT NOT SEEN', { op: 'flag', flag: '\\Seen', present: true }],
    ['OR SEEN FLAGGED', { op: 'or', of: [{ op: 'flag', flag: '\\Seen', present: true }, { op: 'flag', flag: '\\Flagged', present: true }] }],
    ['OR ALL SEEN', { op: 'all' }],
    ['(SEEN FLAGGED)', { op: 'and', of: [{ op: 'flag', flag: '\\Seen', present: true }, { op: 'flag', flag: '\\Flagged', present: true }] }],
    ['$', { op: 'uid', ranges: [[3, 3], [5, 5], [9, 9]] }],
    ['UID $', { op: 'uid', ranges: [[3, 3], [5, 5], [9, 9]] }],
    ['NOT $', { op: 'not', of: { op: 'uid', ranges: [[3, 3], [5, 5], [9, 9]] } }],
  ];
  for (const [text, want] of cases) it(text, () => assert.deepEqual(body(compile(text)), want));

  const none: Array<[string, SearchContext]> = [
    ['6:7', ctx],
    ['SEEN 100', ctx],
    ['MODSEQ 9223372036854775807', ctx],
    ['$', { ...ctx, saved: null }],
    ['UID $', { ...ctx, saved: [] }],
    ['NOT ALL', ctx],
    ['ALL', { ...ctx, uids: new Uint32Array(0) }],
    ['1:*', { ...ctx, uids: new Uint32Array(0) }],
    ['UID 1:*', { ...ctx, uids: new Uint32Array(0) }],
  ];
  for (const [text, context] of none) {
    it(`${text} matches nothing${context.uids.length === 0 ? ' in an empty mailbox' : ''}`, () => assert.deepEqual(compile(text, context), { op: 'none' }));
  }

  it('bounds every query by the UIDs the session knows', () => {
    assert.deepEqual(compile('UID 1:100'), { op: 'and', of: [{ op: 'uid', ranges: [[3, 10]] }, { op: 'uid', ranges: [[1, 100]] }] });
    assert.deepEqual(compile('ALL'), { op: 'uid', ranges: [[3, 10]] });
  });

  it('uses local midnight, with four-digit years below 100 kept as written', () => {
    const q = body(compile('SENTBEFORE 1-Jan-0099'));
    assert.ok(q.op === 'sentDate' && q.lt !== undefined && q.gte === undefined);
    const d = new Date(q.lt);
    assert.deepEqual([d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds()], [99, 0, 1, 0, 0, 0]);
  });

  it('passes long UID lists as one storage node and ignores saved UIDs the session no longer knows', () => {
    const uids = Uint32Array.from({ length: 3000 }, (_, i) => i + 1);
    const saved = Array.from({ length: 1000 }, (_, i) => i * 2 + 1).concat([5000, 6000]);
    const q = compile('$', { ...ctx, uids, saved });
    assert.ok(q.op === 'and');
    const node = q.of[1];
    assert.ok(node !== undefined && node.op === 'uid');
    const ranges = [...node.ranges];
    assert.equal(ranges.length, 1000);
    assert.deepEqual(ranges[999], [1999, 1999]);
  });

  it('compresses UID lists into ranges', () => {
    assert.deepEqual(uidsToRanges([1, 2, 3, 5, 7, 8]), [[1, 3], [5, 5], [7, 8]]);
    assert.deepEqual(uidsToRanges([]), []);
  });

  it('compiles deep nesting and wide searches without recursion trouble', () => {
    const deep = `${'NOT '.repeat(30)}SEEN`;
    assert.deepEqual(body(compile(deep)), { op: 'flag', flag: '\\Seen', present: true });
    const wide = Array.from({ length: 500 }, (_, i) => `${i + 1}`).join(',');
    const q = body(compile(wide));
    assert.equal(q.op, 'uid');
  });
});
