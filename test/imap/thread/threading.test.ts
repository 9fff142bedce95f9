import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { baseSubject, casemap } from '../../../src/mime/subject.js';
import { parseText as parseLine } from '../proto/helpers.js';
import { formatThreads, threadOrderedSubject, threadReferences, type ThreadInput } from '../../../src/imap/thread/threading.js';

describe('RFC 5256 base subject', () => {
  const cases: Array<[string, string, boolean]> = [
    ['Hello', 'Hello', false],
    ['Re: Hello', 'Hello', true],
    ['RE:Hello', 'Hello', true],
    ['Re: Re: re: Hello', 'Hello', true],
    ['Fwd: Hello', 'Hello', true],
    ['Fw: Hello', 'Hello', true],
    ['Re [2]: Hello', 'Hello', true],
    ['[list] Re: Hello', 'Hello', true],
    ['[PATCH] Hello', 'Hello', false],
    ['[PATCH]', '[PATCH]', false],
    ['Hello (fwd)', 'Hello', true],
    ['Hello (fwd) (FWD)  ', 'Hello', true],
    ['[Fwd: Re: Hello]', 'Hello', true],
    ['  Re:   Hello\tworld  ', 'Hello world', true],
    ['Reply about things', 'Reply about things', false],
    ['Re:', '', true],
    ['', '', false],
    ['Re: [x] [y] z', 'z', true],
  ];
  for (const [input, base, reply] of cases) {
    it(JSON.stringify(input), () => assert.deepEqual(baseSubject(input), { base, replyOrForward: reply }));
  }
  it('stays fast on hostile subjects', () => {
    const hostile = `${'[a'.repeat(5000)} ${'Re: '.repeat(5000)}`;
    assert.equal(typeof baseSubject(hostile).base, 'string');
  });
  it('casemaps ASCII only', () => assert.equal(casemap('héllo wörld'), 'HéLLO WöRLD'));
});

let n = 0;
const msg = (id: number, messageId: string | null, refs: string[], subject: string, date = ++n): ThreadInput => ({
  id,
  messageId,
  references: refs,
  subject,
  date,
});

describe('THREAD=REFERENCES', () => {
  it('links replies by References and orders by date', () => {
    const forest = threadReferences([
      msg(1, '<a>', [], 'Topic'),
      msg(2, '<b>', ['<a>'], 'Re: Topic'),
      msg(3, '<c>', ['<a>', '<b>'], 'Re: Topic'),
      msg(4, '<d>', ['<a>'], 'Re: Topic'),
      msg(5, '<e>', [], 'Other'),
    ]);
    assert.equal(formatThreads(forest), '(1 (2 3)(4))(5)');
  });

  it('keeps a missing parent as a dummy only when it joins several threads at the root', () => {
    const forest = threadReferences([msg(1, '<x1>', ['<gone>'], 'Q'), msg(2, '<x2>', ['<gone>'], 'Q')]);
    assert.equal(formatThreads(forest), '((1)(2))');
    const single = threadReferences([msg(7, '<y1>', ['<gone2>'], 'Solo')]);
    assert.equal(formatThreads(single), '(7)');
  });

  it('breaks reference loops and survives duplicate and missing message ids', () => {
    const forest = threadReferences([
      msg(1, '<l1>', ['<l2>'], 'Loop'),
      msg(2, '<l2>', ['<l1>'], 'Loop'),
      msg(3, '<l1>', [], 'Dup id'),
      msg(4, null, [], 'No id'),
    ]);
    const text = formatThreads(forest);
    for (const id of [1, 2, 3, 4]) assert.match(text, new RegExp(`\\b${id}\\b`));
    assert.equal(text.match(/\d+/g)!.length, 4, 'every message appears exactly once');
  });

  it('merges roots with the same base subject, a reply under the original', () => {
    const forest = threadReferences([msg(1, '<s1>', [], 'Lunch?'), msg(2, '<s2>', [], 'Re: Lunch?')]);
    assert.equal(formatThreads(forest), '(1 2)');
  });

  it('makes two unrelated messages with one subject siblings', () => {
    const forest = threadReferences([msg(1, '<t1>', [], 'Status'), msg(2, '<t2>', [], 'status')]);
    assert.equal(formatThreads(forest), '((1)(2))');
  });

  it('formats the RFC 5256 example shape', () => {
    const forest = threadReferences([
      msg(2, '<m2>', [], 'A'),
      msg(3, '<m3>', [], 'B'),
      msg(6, '<m6>', ['<m3>'], 'Re: B'),
      msg(4, '<m4>', ['<m3>', '<m6>'], 'Re: B'),
      msg(23, '<m23>', ['<m3>', '<m6>', '<m4>'], 'Re: B'),
      msg(44, '<m44>', ['<m3>', '<m6>'], 'Re: B'),
      msg(7, '<m7>', ['<m3>', '<m6>', '<m44>'], 'Re: B'),
      msg(96, '<m96>', ['<m3>', '<m6>', '<m44>', '<m7>'], 'Re: B'),
    ]);
    assert.equal(formatThreads(forest), '(2)(3 6 (4 23)(44 7 96))');
  });
});

describe('THREAD=ORDEREDSUBJECT', () => {
  it('groups by base subject; the first by date is the parent of the rest', () => {
    const forest = threadOrderedSubject([
      msg(1, null, [], 'Alpha', 10),
      msg(2, null, [], 'Beta', 5),
      msg(3, null, [], 'Re: Alpha', 20),
      msg(4, null, [], 'Fwd: alpha', 30),
      msg(5, null, [], 'Re: Beta', 6),
    ]);
    assert.equal(formatThreads(forest), '(2 5)(1 (3)(4))');
  });
});

describe('SORT and THREAD parsers', () => {
  const ok = async (line: string) => {
    const r = await parseLine(line);
    assert.ok(r.ok, `${line}: ${r.ok ? '' : r.error.message}`);
    return r.command;
  };
  it('parses SORT with REVERSE, charset and search keys', async () => {
    const cmd = await ok('a UID SORT (REVERSE DATE SUBJECT) UTF-8 UNSEEN');
    assert.equal(cmd.name, 'UID SORT');
    if (cmd.name !== 'UID SORT') return;
    assert.deepEqual(cmd.args.criteria, [
      { key: 'DATE', reverse: true },
      { key: 'SUBJECT', reverse: false },
    ]);
    assert.equal(cmd.args.charset, 'UTF-8');
    assert.equal(cmd.args.uid, true);
  });
  it('parses THREAD', async () => {
    const cmd = await ok('t THREAD REFERENCES US-ASCII ALL');
    assert.equal(cmd.name, 'THREAD');
    if (cmd.name === 'THREAD') assert.equal(cmd.args.algorithm, 'REFERENCES');
  });
  const bad: Array<[string, RegExp]> = [
    ['a SORT () UTF-8 ALL', /./],
    ['a SORT (REVERSE) UTF-8 ALL', /REVERSE/],
    ['a SORT (BOGUS) UTF-8 ALL', /sort key/i],
    ['a SORT (DATE) ALL', /./],
    ['a SORT (DATE) KOI8-R ALL', /./],
    ['a THREAD SIDEWAYS UTF-8 ALL', /algorithm/],
    ['a THREAD REFERENCES UTF-8', /./],
  ];
  for (const [line, pattern] of bad) {
    it(`refuses ${line}`, async () => {
      const r = await parseLine(line);
      assert.equal(r.ok, false);
      if (!r.ok) assert.match(r.error.message, pattern);
    });
  }
  it('reports BADCHARSET for an unsupported SORT charset', async () => {
    const r = await parseLine('a SORT (DATE) KOI8-R ALL');
    assert.ok(!r.ok && r.error.code?.name === 'BADCHARSET' && r.error.status === 'NO');
  });
});
