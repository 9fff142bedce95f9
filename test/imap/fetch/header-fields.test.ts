/** HEADER.FIELDS[.NOT] on raw header blocks, hostile ones included. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { filterHeaderFields, splitRawFields } from '../../../src/imap/fetch/header-fields.js';

const BLOCK = [
  'Received: from a',
  '\tby b',
  'From: A <a@x>',
  'subject: first',
  'To: t@x',
  'SUBJECT : second',
  'X-Empty:',
  '',
  '',
].join('\r\n');

describe('filterHeaderFields', () => {
  const cases: Array<[string, string, readonly string[], boolean, string]> = [
    ['matches case-insensitively, keeps every occurrence in header order', BLOCK, ['Subject'], false, 'subject: first\r\nSUBJECT : second\r\n\r\n'],
    ['keeps folding exactly', BLOCK, ['RECEIVED', 'to'], false, 'Received: from a\r\n\tby b\r\nTo: t@x\r\n\r\n'],
    ['order is the header\'s, not the request\'s', BLOCK, ['to', 'from'], false, 'From: A <a@x>\r\nTo: t@x\r\n\r\n'],
    ['an empty field value still matches', BLOCK, ['x-empty'], false, 'X-Empty:\r\n\r\n'],
    ['no match is the blank line alone', BLOCK, ['X-Nothing'], false, '\r\n'],
    ['a name is not a prefix match', BLOCK, ['Subj', 'X'], false, '\r\n'],
    ['NOT keeps the rest', BLOCK, ['received', 'subject', 'x-empty'], true, 'From: A <a@x>\r\nTo: t@x\r\n\r\n'],
    ['NOT of nothing is the whole block', BLOCK, ['X-Nothing'], true, BLOCK],
    ['a block without a blank line still ends with one', 'A: 1\r\nB: 2', ['b'], false, 'B: 2\r\n\r\n'],
    ['NOT on a block without a blank line', 'A: 1\r\nB: 2', ['a'], true, 'B: 2\r\n\r\n'],
    ['bare LF blocks keep their line ends', 'A: 1\nB: 2\n b\n\n', ['B'], false, 'B: 2\n b\n\n'],
    ['the empty block', '', ['a'], false, '\r\n'],
    ['a block that is only the blank line', '\r\n', ['a'], true, '\r\n'],
    ['malformed lines never match and survive NOT', 'No colon here\r\n continuation\r\nA: 1\r\n\r\n', ['No colon here', 'a'], false, 'A: 1\r\n\r\n'],
    ['malformed lines survive NOT', 'No colon here\r\nA: 1\r\n\r\n', ['a'], true, 'No colon here\r\n\r\n'],
    ['a leading continuation line is kept by NOT', ' orphan\r\nA: 1\r\n\r\n', ['a'], true, ' orphan\r\n\r\n'],
    ['8-bit and NUL octets pass through', 'X-8: caf\u00e9\u0000\r\n\r\n', ['x-8'], false, 'X-8: caf\u00e9\u0000\r\n\r\n'],
    ['a name with 8-bit octets is not a field', 'N\u00e4me: v\r\nA: 1\r\n\r\n', ['n\u00e4me'], false, '\r\n'],
    ['the body after the blank line is never read', 'A: 1\r\n\r\nB: 2\r\n', ['b'], false, '\r\n'],
  ];
  for (const [name, block, fields, not, want] of cases) {
    it(name, () => assert.equal(filterHeaderFields(Buffer.from(block, 'latin1'), fields, not).toString('latin1'), want));
  }

  it('survives a header of a hundred thousand tiny fields', () => {
    const block = Buffer.from(`${'a:\r\n'.repeat(100_000)}\r\n`);
    assert.equal(filterHeaderFields(block, ['A'], false).length, block.length);
    assert.equal(filterHeaderFields(block, ['A'], true).toString(), '\r\n');
  });
});

describe('splitRawFields', () => {
  it('reports field extents and where the blank line is', () => {
    const block = Buffer.from('A: 1\r\n b\r\nC:2\r\n\r\n');
    const { fields, blankLine } = splitRawFields(block);
    assert.deepEqual(fields.map((f) => [f.key, block.toString('latin1', f.start, f.end)]), [['a', 'A: 1\r\n b\r\n'], ['c', 'C:2\r\n']]);
    assert.equal(blankLine, block.length - 2);
  });
});
