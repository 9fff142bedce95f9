import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ImapParseError } from '../../../src/imap/errors.js';
import {
  compressNumbers,
  formatSequenceSet,
  iterateSequenceNumbers,
  matchUids,
  parseSequenceSet,
  resolveSequenceSet,
  sequenceSetContains,
  sequenceSetMax,
  type ExplicitSequenceSet,
} from '../../../src/imap/proto/sequence-set.js';

function explicit(text: string): ExplicitSequenceSet {
  const set = parseSequenceSet(text);
  assert.ok(set.kind === 'set');
  return set;
}

describe('sequence set parsing', () => {
  const ok: Array<[string, unknown]> = [
    ['1', [{ start: 1, end: 1 }]],
    ['*', [{ start: '*', end: '*' }]],
    ['1:*', [{ start: 1, end: '*' }]],
    ['5:2', [{ start: 5, end: 2 }]],
    ['1,3:4,*:7', [{ start: 1, end: 1 }, { start: 3, end: 4 }, { start: '*', end: 7 }]],
    ['4294967295', [{ start: 4294967295, end: 4294967295 }]],
  ];
  for (const [text, ranges] of ok) {
    it(`parses ${text}`, () => assert.deepEqual(parseSequenceSet(text), { kind: 'set', ranges }));
  }
  it('parses $ (RFC 5182)', () => assert.deepEqual(parseSequenceSet('$'), { kind: 'saved' }));
  for (const bad of ['0', '1:', ':5', '1,,2', ',1', '1,', '1:2:3', '01', '4294967296', '', '1:0', '$,1', '1,$', '-1', 'a']) {
    it(`refuses ${JSON.stringify(bad)}`, () =>
      assert.throws(() => parseSequenceSet(bad), (e: unknown) => e instanceof ImapParseError && e.clientText === 'Invalid sequence set'));
  }
  it('can forbid * and $', () => {
    assert.throws(() => parseSequenceSet('1:*', { allowStar: false }), ImapParseError);
    assert.throws(() => parseSequenceSet('$', { allowSaved: false }), ImapParseError);
  });
  it('round-trips as written', () => assert.equal(formatSequenceSet(parseSequenceSet('5:2,*,3')), '5:2,*,3'));
});

describe('sequence set evaluation', () => {
  it('resolves, orders and merges', () => {
    assert.deepEqual(resolveSequenceSet(explicit('7:5,1,2,*'), 10), [
      [1, 2],
      [5, 7],
      [10, 10],
    ]);
    assert.deepEqual(resolveSequenceSet(explicit('1:3,2:6,8'), 10), [
      [1, 6],
      [8, 8],
    ]);
  });
  it('n:* with n above the maximum still names the last message (RFC 3501 §6.4.8)', () => {
    assert.deepEqual(resolveSequenceSet(explicit('559:*'), 400), [[400, 559]]);
    assert.deepEqual(matchUids(explicit('559:*'), [10, 20, 400]), [400]);
  });
  it('1:* on a huge mailbox costs nothing until iterated', () => {
    const set = explicit('1:*');
    assert.deepEqual(resolveSequenceSet(set, 4_000_000_000), [[1, 4_000_000_000]]);
    assert.equal(sequenceSetContains(set, 3_999_999_999, 4_000_000_000), true);
    assert.equal(sequenceSetMax(set, 4_000_000_000), 4_000_000_000);
    const it = iterateSequenceNumbers(set, 4_000_000_000);
    assert.equal(it.next().value, 1);
  });
  it('iterates sequence numbers within the message count', () => {
    assert.deepEqual([...iterateSequenceNumbers(explicit('2,4:*,9:20'), 6)], [2, 4, 5, 6]);
    assert.deepEqual([...iterateSequenceNumbers(explicit('1:*'), 0)], []);
  });
  it('matches sorted UIDs with binary search', () => {
    const uids = [3, 5, 9, 12, 40, 41, 100];
    assert.deepEqual(matchUids(explicit('4:12,41,99:*'), uids), [5, 9, 12, 41, 100]);
    assert.deepEqual(matchUids(explicit('1:*'), []), []);
    assert.deepEqual(matchUids(explicit('*'), uids), [100]);
  });
  it('tests membership', () => {
    const set = explicit('3:1,10');
    assert.equal(sequenceSetContains(set, 2, 50), true);
    assert.equal(sequenceSetContains(set, 4, 50), false);
    assert.equal(sequenceSetContains(explicit('*'), 50, 50), true);
  });
  it('compresses numbers', () => {
    assert.equal(compressNumbers([1, 2, 3, 5, 7, 8]), '1:3,5,7:8');
    assert.equal(compressNumbers([]), '');
    assert.equal(compressNumbers([9, 2, 3, 1, 4, 5]), '9,2:3,1,4:5', 'another order is kept: only ascending runs become ranges');
  });
});
