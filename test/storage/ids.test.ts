/** Storage ids: ObjectId-shaped, time-prefixed, in creation order within a process. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isId, newId } from '../../src/storage/ids.js';

describe('newId', () => {
  it('is 24 hex characters starting with the seconds of the given time', () => {
    const at = Date.UTC(2026, 11, 1, 12, 0, 0);
    const id = newId(at);
    assert.ok(isId(id));
    assert.equal(parseInt(id.slice(0, 8), 16), at / 1000);
  });

  it('orders ids of the same second by creation (one descent at most, where the counter wraps)', () => {
    const at = Date.UTC(2026, 11, 1, 12, 0, 0);
    const ids = Array.from({ length: 1000 }, () => newId(at));
    assert.equal(new Set(ids).size, ids.length);
    let descents = 0;
    for (let i = 1; i < ids.length; i++) if (ids[i]! < ids[i - 1]!) descents++;
    assert.ok(descents <= 1, `${descents} descents`);
  });

  it('rejects what is not an id', () => {
    for (const bad of ['', 'x'.repeat(24), 'ABCDEF'.repeat(4), `${newId()}0`, newId().slice(1)]) assert.equal(isId(bad), false, bad);
  });
});
