import assert from 'node:assert/strict';
import { PassThrough, Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { parseCommandLine } from '../../../src/imap/parse/command-line.js';
import { fetchItemResponseName } from '../../../src/imap/proto/fetch.js';
import { CommandReader } from '../../../src/imap/proto/reader.js';
import { atom, raw, streamLiteral, type ImapValue } from '../../../src/imap/proto/values.js';
import { ResponseWriter } from '../../../src/imap/proto/writer.js';

/** A miniature session loop showing how reader, parsers and writer fit together. */
async function serve(input: string): Promise<{ output: string; spooled: string }> {
  const fromClient = new PassThrough();
  const toClient = new PassThrough();
  const out: Buffer[] = [];
  toClient.on('data', (c: Buffer) => out.push(c));
  const spool: Buffer[] = [];
  const writer = new ResponseWriter(toClient);
  const reader = CommandReader.fromReadable(fromClient, {
    onContinuation: () => writer.continuation(),
    literalPolicy: (req) =>
      req.command === 'APPEND'
        ? { action: 'stream', sink: new Writable({ write: (c: Buffer, _e, cb) => (spool.push(c), cb()) }) }
        : { action: 'buffer' },
  });
  fromClient.end(input);
  for (;;) {
    const ev = await reader.readCommand();
    if (ev.type === 'end') break;
    if (ev.type === 'fatal') {
      await writer.status(null, 'BYE', ev.error.clientText, ev.error.code);
      break;
    }
    if (ev.type === 'error') {
      await writer.parseError(ev.tag, ev.error);
      continue;
    }
    const parsed = parseCommandLine(ev.command);
    if (!parsed.ok) {
      await writer.parseError(parsed.tag, parsed.error);
      continue;
    }
    const cmd = parsed.command;
    switch (cmd.name) {
      case 'LOGIN':
        await writer.tagged(cmd.tag, 'OK', `${cmd.args.username} logged in`);
        break;
      case 'FETCH': {
        const body = Buffer.from('hello');
        const data: ImapValue[] = cmd.args.items.flatMap((item) => [raw(fetchItemResponseName(item)), streamLiteral(body.length, { read: async (o, l) => body.subarray(o, o + l) })]);
        await writer.untagged(1, atom('FETCH'), data);
        await writer.tagged(cmd.tag, 'OK', 'FETCH completed');
        break;
      }
      case 'APPEND': {
        const size = cmd.args.messages[0]?.literal.kind === 'streamed' ? cmd.args.messages[0].literal.size : -1;
        await writer.tagged(cmd.tag, 'OK', `APPEND completed (${size} octets)`, { name: 'APPENDUID', args: [1, 1] });
        break;
      }
      case 'LOGOUT':
        await writer.status(null, 'BYE', 'Logging out');
        await writer.tagged(cmd.tag, 'OK', 'LOGOUT completed');
        break;
      default:
        await writer.tagged(cmd.tag, 'NO', 'Not implemented here');
    }
  }
  await writer.flush();
  return { output: Buffer.concat(out).toString('latin1'), spooled: Buffer.concat(spool).toString('latin1') };
}

describe('reader + parser + writer', () => {
  it('runs a short session', async () => {
    const { output, spooled } = await serve(
      'a LOGIN {4}\r\nfred secret\r\n' +
        'b FOO\r\n' +
        'c FETCH 1 BODY.PEEK[]<0.5>\r\n' +
        'd APPEND INBOX (\\Seen) {11}\r\nSubject: x\n\r\n' +
        '+oops NOOP\r\n' +
        'e LOGOUT\r\n',
    );
    assert.equal(
      output,
      '+ Ready\r\n' +
        'a OK fred logged in\r\n' +
        'b BAD Unknown command FOO\r\n' +
        '* 1 FETCH (BODY[]<0> {5}\r\nhello)\r\n' +
        'c OK FETCH completed\r\n' +
        '+ Ready\r\n' +
        'd OK [APPENDUID 1 1] APPEND completed (11 octets)\r\n' +
        '* BAD Invalid tag\r\n' +
        '* BYE Logging out\r\n' +
        'e OK LOGOUT completed\r\n',
    );
    assert.equal(spooled, 'Subject: x\n');
  });
});
