import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateFilters, matchesQuery } from '../../src/filters/evaluate.js';
import type { DeliveryFacts } from '../../src/filters/facts.js';
import type { Filter, FilterAction, FilterQuery } from '../../src/filters/types.js';

const facts: DeliveryFacts = {
  from: 'Alice Example <alice@example.com>',
  to: ['Bob <bob@example.org>', 'carol@example.org', 'me+tag@example.net'],
  subject: 'Quarterly Report: Q3',
  listId: 'announce.lists.example.org',
  text: 'Numbers are up.\nSee the attachment.',
  hasAttachments: true,
  size: 5000,
};

let seq = 0;
const filter = (query: FilterQuery, action: FilterAction, extra: Partial<Filter> = {}): Filter => ({
  id: `f${++seq}`,
  userId: 'u',
  name: '',
  query,
  action,
  disabled: false,
  created: new Date(seq * 1000),
  ...extra,
});

describe('filter queries', () => {
  const cases: Array<[string, FilterQuery, boolean]> = [
    ['from substring of the name', { from: 'alice example' }, true],
    ['from substring of the address', { from: 'ALICE@EXAMPLE' }, true],
    ['from mismatch', { from: 'mallory' }, false],
    ['to matches To', { to: 'bob@example.org' }, true],
    ['to matches Cc', { to: 'carol' }, true],
    ['to matches Delivered-To', { to: 'me+tag@' }, true],
    ['to mismatch', { to: 'dave@' }, false],
    ['subject case-insensitive', { subject: 'quarterly report' }, true],
    ['subject mismatch', { subject: 'invoice' }, false],
    ['listId equals', { listId: 'Announce.Lists.Example.org' }, true],
    ['listId with angle brackets', { listId: '<announce.lists.example.org>' }, true],
    ['listId is not a substring match', { listId: 'lists.example.org' }, false],
    ['text in body', { text: 'numbers ARE up' }, true],
    ['text mismatch', { text: 'down' }, false],
    ['ha true', { ha: true }, true],
    ['ha false', { ha: false }, false],
    ['size larger than', { size: 4999 }, true],
    ['size not larger than itself', { size: 5000 }, false],
    ['negative size: smaller than', { size: -5001 }, true],
    ['negative size: not smaller than itself', { size: -5000 }, false],
    ['every condition must hold', { from: 'alice', subject: 'invoice' }, false],
    ['all conditions hold', { from: 'alice', subject: 'report', ha: true, size: 100 }, true],
    ['no condition matches nothing', {}, false],
    ['empty strings are no condition', { from: '', subject: '' }, false],
  ];
  for (const [name, query, expected] of cases) {
    it(name, () => assert.equal(matchesQuery(query, facts), expected));
  }

  it('no list id never matches a listId query', () => {
    assert.equal(matchesQuery({ listId: 'x' }, { ...facts, listId: null }), false);
  });
});

describe('filter evaluation', () => {
  it('the first matching filter that sets a key wins, in creation order', () => {
    const d = evaluateFilters(
      [
        filter({ from: 'alice' }, { seen: true, mailbox: 'box1' }),
        filter({ subject: 'report' }, { seen: false, flag: true, mailbox: 'box2' }),
        filter({ subject: 'report' }, { flag: false, spam: true }),
      ],
      facts,
    );
    assert.equal(d.seen, true);
    assert.equal(d.flag, true);
    assert.equal(d.mailbox, 'box1');
    assert.equal(d.spam, true);
    assert.equal(d.delete, undefined);
    assert.equal(d.matched.length, 3);
  });

  it('an explicit false decides the key too', () => {
    const d = evaluateFilters([filter({ from: 'alice' }, { spam: false }), filter({ from: 'alice' }, { spam: true, delete: true })], facts);
    assert.equal(d.spam, false);
    assert.equal(d.delete, true);
  });

  it('skips disabled and non-matching filters', () => {
    const d = evaluateFilters(
      [filter({ from: 'alice' }, { delete: true }, { disabled: true }), filter({ from: 'mallory' }, { seen: true }), filter({ from: 'alice' }, { flag: true })],
      facts,
    );
    assert.equal(d.delete, undefined);
    assert.equal(d.seen, undefined);
    assert.equal(d.flag, true);
    assert.equal(d.matched.length, 1);
  });

  it('forward targets accumulate over matching filters without duplicates', () => {
    const d = evaluateFilters(
      [
        filter({ from: 'alice' }, { targets: ['x@example.net', 'https://hook.example/a'] }),
        filter({ from: 'mallory' }, { targets: ['never@example.net'] }),
        filter({ subject: 'report' }, { targets: ['X@example.net ', 'y@example.net'] }),
      ],
      facts,
    );
    assert.deepEqual(d.targets, ['x@example.net', 'https://hook.example/a', 'y@example.net']);
  });

  it('no filters: nothing decided', () => {
    assert.deepEqual(evaluateFilters([], facts), { targets: [], matched: [] });
  });
});
