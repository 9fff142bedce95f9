import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toRanges, uidlOf } from '../../src/pop3/maildrop.js';

describe('pop3 maildrop helpers', () => {
  it('UIDL is UIDVALIDITY and UID as 16 hex digits, within RFC 1939 limits', () => {
    assert.equal(uidlOf(1, 1), '0000000100000001');
    assert.equal(uidlOf(0xffffffff, 0xfffffffe), 'fffffffffffffffe');
    const id = uidlOf(123456789, 42);
    assert.match(id, /^[\x21-\x7e]{1,70}$/);
    assert.notEqual(uidlOf(5, 6), uidlOf(6, 5));
  });

  it('collapses ascending UIDs into ranges', () => {
    assert.deepEqual(toRanges([]), []);
    assert.deepEqual(toRanges([1, 2, 3, 5, 7, 8]), [
      [1, 3],
      [5, 5],
      [7, 8],
    ]);
  });
});
