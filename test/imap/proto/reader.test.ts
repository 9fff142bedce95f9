import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { ImapParseError } from '../../../src/imap/errors.js';
import { CommandReader, type LiteralDecision } from '../../../src/imap/proto/reader.js';
import { frameAll, summarize } from './helpers.js';

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

interface FrameCase {
  name: string;
  input: string;
  options?: Parameters<typeof frameAll>[1];
  expected: string[];
  continuations?: number[];
}

const cases: FrameCase[] = [
  { name: 'simple command', input: 'a NOOP\r\n', expected: ['command a NOOP', 'end'] },
  { name: 'pipelined commands', input: 'a NOOP\r\nb CAPABILITY\r\n', expected: ['command a NOOP', 'command b CAPABILITY', 'end'] },
  { name: 'bare LF terminates a line', input: 'a NOOP\nb NOOP\r\n', expected: ['command a NOOP', 'command b NOOP', 'end'] },
  { name: 'empty lines are skipped', input: '\r\n\r\na NOOP\r\n', expected: ['command a NOOP', 'end'] },
  {
    name: 'synchronizing literals ask for continuation',
    input: 'a LOGIN {3}\r\nfoo {3}\r\nbar\r\n',
    expected: ['command a LOGIN {3}<foo> {3}<bar>', 'end'],
    continuations: [3, 3],
  },
  {
    name: 'non-synchronizing literal needs no continuation',
    input: 'a LOGIN {3+}\r\nfoo {0+}\r\n\r\n',
    expected: ['command a LOGIN {3+}<foo> {0+}<>', 'end'],
    continuations: [],
  },
  {
    name: 'literal may contain CRLF and command-like text',
    input: 'a APPEND x {12+}\r\nb LOGOUT\r\n\r\n\r\nc NOOP\r\n',
    expected: ['command a APPEND x {12+}<b LOGOUT\r\n\r\n>', 'command c NOOP', 'end'],
  },
  {
    name: 'huge synchronizing literal refused without continuation',
    input: 'a LOGIN {99999999999}\r\nb NOOP\r\n',
    expected: ['error a BAD [TOOBIG] Literal too large', 'command b NOOP', 'end'],
    continuations: [],
  },
  {
    name: 'APPEND over the limit is NO [TOOBIG]',
    input: 'a APPEND INBOX {2000}\r\nb NOOP\r\n',
    options: { maxLiteralSize: 1000 },
    expected: ['error a NO [TOOBIG] Literal too large', 'command b NOOP', 'end'],
    continuations: [],
  },
  {
    name: 'absurd digit string is just too big',
    input: `a LOGIN {${'9'.repeat(400)}}\r\nb NOOP\r\n`,
    expected: ['error a BAD [TOOBIG] Literal too large', 'command b NOOP', 'end'],
  },
  {
    name: 'refused non-sync literal is swallowed, not executed',
    input: 'a LOGIN {20+}\r\nc LOGOUT\r\nd LOGOUT\r\n x\r\nb NOOP\r\n',
    options: { maxLiteralSize: 10 },
    expected: ['error a BAD [TOOBIG] Literal too large', 'command b NOOP', 'end'],
  },
  {
    name: 'non-sync literal beyond the discard budget is fatal',
    input: 'a APPEND x {99999999999+}\r\nxxxx',
    expected: ['fatal a BAD [TOOBIG] Literal too large, closing connection'],
  },
  {
    name: 'LITERAL-: non-sync over 4096 refused (RFC 7888 §5)',
    input: `a APPEND x {4097+}\r\n${'y'.repeat(4097)}\r\nb NOOP\r\n`,
    options: { literalMode: 'minus' },
    expected: ['error a BAD [TOOBIG] Non-synchronizing literal larger than 4096 octets', 'command b NOOP', 'end'],
  },
  {
    name: 'LITERAL-: non-sync of exactly 4096 accepted',
    input: `a APPEND x {4096+}\r\n${'y'.repeat(4096)}\r\n`,
    options: { literalMode: 'minus' },
    expected: [`command a APPEND x {4096+}<${'y'.repeat(4096)}>`, 'end'],
  },
  {
    name: 'LITERAL-: synchronizing literals of any size still fine',
    input: `a APPEND x {5000}\r\n${'y'.repeat(5000)}\r\n`,
    options: { literalMode: 'minus' },
    expected: [`command a APPEND x {5000}<${'y'.repeat(5000)}>`, 'end'],
    continuations: [5000],
  },
  {
    name: 'no LITERAL+: non-sync refused and swallowed',
    input: 'a LOGIN {3+}\r\nfoo bar\r\nb NOOP\r\n',
    options: { literalMode: 'none' },
    expected: ['error a BAD Non-synchronizing literals are not supported', 'command b NOOP', 'end'],
  },
  {
    name: 'literal8 refused unless enabled',
    input: 'a APPEND x ~{3}\r\nb NOOP\r\n',
    expected: ['error a BAD literal8 is not supported', 'command b NOOP', 'end'],
    continuations: [],
  },
  {
    name: 'literal8 accepted with allowLiteral8',
    input: 'a APPEND x ~{3}\r\na\x00b\r\n',
    options: { allowLiteral8: true },
    expected: ['command a APPEND x ~{3}<a\x00b>', 'end'],
  },
  {
    name: 'overlong line: error, then resynchronise',
    input: `a NOOP ${'x'.repeat(100)}\r\nb NOOP\r\n`,
    options: { maxLineLength: 20 },
    expected: ['error a BAD Command line too long', 'command b NOOP', 'end'],
  },
  {
    name: 'overlong line ending in a non-sync literal swallows the literal',
    input: `a LOGIN ${'x'.repeat(100)} {10+}\r\nc LOGOUT\r\n more {3+}\r\nd\r\n\r\nb NOOP\r\n`,
    options: { maxLineLength: 20 },
    expected: ['error a BAD Command line too long', 'command b NOOP', 'end'],
  },
  {
    name: 'overlong line ending in a sync literal: no continuation',
    input: `a LOGIN ${'x'.repeat(100)} {10}\r\nb NOOP\r\n`,
    options: { maxLineLength: 20 },
    expected: ['error a BAD Command line too long', 'command b NOOP', 'end'],
    continuations: [],
  },
  {
    name: 'line limit counts all segments of a command',
    input: `a LOGIN {3}\r\nfoo ${'x'.repeat(30)}\r\nb NOOP\r\n`,
    options: { maxLineLength: 20 },
    expected: ['error a BAD Command line too long', 'command b NOOP', 'end'],
  },
  {
    name: 'per-command buffered literal budget',
    input: 'a LOGIN {6}\r\nabcdef {6}\r\nb NOOP\r\n',
    options: { maxBufferedLiteralBytes: 10 },
    expected: ['error a BAD [TOOBIG] Command literals too large', 'command b NOOP', 'end'],
    continuations: [6],
  },
  { name: '{n} with no CRLF then EOF', input: 'a LOGIN {5}', expected: ['end'], continuations: [] },
  { name: '{n} followed by text is not a literal', input: 'a LOGIN {5}x\r\n', expected: ['command a LOGIN {5}x', 'end'] },
  { name: 'unterminated literal then EOF', input: 'a LOGIN {10}\r\nabc', expected: ['end'] },
  { name: 'invalid tag is reported as null', input: `${'\x01'}bad {999999999}\r\n`, expected: ['error * BAD [TOOBIG] Literal too large', 'end'] },
  {
    name: 'overlong line whose tag may be cut off is answered untagged',
    input: `${'t'.repeat(300)} NOOP ${'x'.repeat(100)}\r\nb NOOP\r\n`,
    options: { maxLineLength: 200 },
    expected: ['error * BAD Command line too long', 'command b NOOP', 'end'],
  },
  { name: 'NUL in line is passed through for the parser', input: 'a NO\x00OP\r\n', expected: ['command a NO\x00OP', 'end'] },
];

describe('CommandReader framing', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const framed = await frameAll([c.input], c.options);
      assert.deepEqual(summarize(framed.events), c.expected);
      if (c.continuations) assert.deepEqual(framed.continuations.map((r) => r.size), c.continuations);
    });
  }

  it('frames identically when fed one byte at a time', async () => {
    const script =
      'a LOGIN {3}\r\nfoo {3+}\r\nbar\r\n' +
      `b NOOP ${'x'.repeat(50)}\r\n` +
      'c APPEND INBOX (\\Seen) {5}\r\nhello\r\n' +
      'd LOGIN {99999999999}\r\n' +
      'e SELECT {4+}\r\nINBO\r\n' +
      '\r\nf NOOP\n';
    const options = { maxLineLength: 40 };
    const whole = await frameAll([script], options);
    const bytes = await frameAll([...Buffer.from(script, 'latin1')].map((b) => Buffer.from([b])), options);
    assert.deepEqual(summarize(bytes.events), summarize(whole.events));
    assert.deepEqual(bytes.continuations, whole.continuations);
    assert.equal(whole.events.length, 7);
  });

  it('records tag, command and index in the literal request', async () => {
    const framed = await frameAll(['t1 uid fetch {1}\r\n1 {2+}\r\nab\r\n']);
    assert.deepEqual(framed.continuations, [
      { tag: 't1', command: 'UID FETCH', size: 1, synchronizing: true, binary: false, index: 0 },
    ]);
  });

  it('marks literals that contain NUL', async () => {
    const { events } = await frameAll(['a LOGIN {3}\r\na\x00b x\r\n']);
    const ev = events[0];
    assert.ok(ev?.type === 'command');
    assert.equal(ev.command.literals[0]?.hasNul, true);
  });
});

describe('CommandReader owner interaction', () => {
  it('asks the policy before sending the continuation and honours a refusal', async () => {
    const order: string[] = [];
    const framed = await frameAll(['a APPEND x {5}\r\nb NOOP\r\n'], {
      literalPolicy: (req): LiteralDecision => {
        order.push(`policy ${req.command} ${req.size}`);
        return { action: 'reject', error: new ImapParseError('Over quota', { status: 'NO', code: 'OVERQUOTA' }) };
      },
      onContinuation: () => {
        order.push('continuation');
      },
    });
    assert.deepEqual(order, ['policy APPEND 5']);
    assert.deepEqual(summarize(framed.events), ['error a NO [OVERQUOTA] Over quota', 'command b NOOP', 'end']);
  });

  it('reads no literal octet before the continuation promise settles', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const reader = new CommandReader({ onContinuation: () => gate });
    const pending = reader.readCommand();
    reader.push(Buffer.from('a LOGIN {3}\r\n'));
    await tick();
    reader.push(Buffer.from('foo bar\r\n'));
    await tick();
    assert.equal(reader.bufferedBytes, 9);
    release();
    const ev = await pending;
    assert.deepEqual(summarize([ev]), ['command a LOGIN {3}<foo> bar']);
  });

  it('delivers raw lines for AUTHENTICATE and IDLE', async () => {
    const reader = new CommandReader({ onContinuation: () => {} });
    reader.push(Buffer.from('a AUTHENTICATE PLAIN\r\nAGZvbwBiYXI=\r\nb IDLE\r\ndone\r\nc NOOP\r\n'));
    assert.deepEqual(summarize([await reader.readCommand()]), ['command a AUTHENTICATE PLAIN']);
    const sasl = await reader.readLine();
    assert.ok(sasl.type === 'line');
    assert.equal(sasl.line.toString(), 'AGZvbwBiYXI=');
    assert.deepEqual(summarize([await reader.readCommand()]), ['command b IDLE']);
    const done = await reader.readLine();
    assert.ok(done.type === 'line');
    assert.equal(done.line.toString(), 'done');
    assert.deepEqual(summarize([await reader.readCommand()]), ['command c NOOP']);
  });

  it('reports an overlong raw line and stays usable', async () => {
    const reader = new CommandReader({ onContinuation: () => {} });
    reader.push(Buffer.from(`${'A'.repeat(100)}\r\nDONE\r\n`));
    const first = await reader.readLine(10);
    assert.equal(first.type, 'error');
    const second = await reader.readLine(10);
    assert.ok(second.type === 'line');
    assert.equal(second.line.toString(), 'DONE');
  });

  it('refuses concurrent reads', async () => {
    const reader = new CommandReader({ onContinuation: () => {} });
    const pending = reader.readCommand();
    await assert.rejects(reader.readLine(), /already pending/);
    reader.end();
    assert.equal((await pending).type, 'end');
  });

  it('close() ends a pending read and drops buffered input', async () => {
    const reader = new CommandReader({ onContinuation: () => {} });
    reader.push(Buffer.from('a STARTTLS\r\nb LOGIN injected x\r\n'));
    assert.deepEqual(summarize([await reader.readCommand()]), ['command a STARTTLS']);
    assert.ok(reader.bufferedBytes > 0, 'pipelined plaintext after STARTTLS is visible');
    reader.close();
    assert.equal(reader.bufferedBytes, 0);
    assert.equal((await reader.readCommand()).type, 'end');
  });

  it('push() reports backpressure and waitForDrain() resolves once consumed', async () => {
    const reader = new CommandReader({ onContinuation: () => {}, highWaterMark: 16 });
    assert.equal(reader.push(Buffer.from('a NOOP\r\n')), true);
    assert.equal(reader.push(Buffer.from('b NOOP\r\nc NOOP\r\n')), false);
    let drained = false;
    const drain = reader.waitForDrain().then(() => (drained = true));
    await tick();
    assert.equal(drained, false);
    await reader.readCommand();
    await reader.readCommand();
    await drain;
    assert.equal(drained, true);
  });

  it('a pusher ignoring backpressure gets a fatal event, not unbounded memory', async () => {
    const reader = new CommandReader({ onContinuation: () => {}, highWaterMark: 16, maxInputBuffer: 64 });
    for (let i = 0; i < 10; i++) reader.push(Buffer.alloc(16, 0x78));
    assert.equal(reader.bufferedBytes, 0);
    const ev = await reader.readCommand();
    assert.equal(ev.type, 'fatal');
  });

  it('a fatal event closes the reader', async () => {
    const reader = new CommandReader({ onContinuation: () => {} });
    reader.push(Buffer.from('a APPEND x {99999999999+}\r\nxxxx'));
    assert.equal((await reader.readCommand()).type, 'fatal');
    assert.equal(reader.isClosed, true);
    assert.equal(reader.bufferedBytes, 0);
    assert.equal((await reader.readCommand()).type, 'end');
  });

  it('fromReadable ends with the source', async () => {
    const source = new PassThrough();
    const reader = CommandReader.fromReadable(source, { onContinuation: () => {} });
    source.end('a NOOP\r\n');
    assert.deepEqual(summarize([await reader.readCommand(), await reader.readCommand()]), ['command a NOOP', 'end']);
  });
});
