import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { LineReader, type ReaderEvent } from '../../src/pop3/line-reader.js';

function show(ev: ReaderEvent): string {
  return ev.kind === 'line' ? `line:${ev.line.toString('latin1')}` : ev.kind;
}

async function collect(reader: LineReader, n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(show(await reader.next()));
  return out;
}

describe('pop3 line reader', () => {
  it('splits CRLF and bare LF lines across arbitrary chunks, in order', async () => {
    const src = new PassThrough();
    const r = new LineReader(100);
    r.attach(src);
    for (const piece of ['US', 'ER a\r', '\nPASS b\nST', 'AT\r\n', '\r\n']) src.write(piece);
    src.end();
    assert.deepEqual(await collect(r, 6), ['line:USER a', 'line:PASS b', 'line:STAT', 'line:', 'end', 'end']);
  });

  it('drops an overlong line without buffering it, then carries on', async () => {
    const src = new PassThrough();
    const r = new LineReader(10);
    r.attach(src);
    src.write('0123456789\r\n');
    src.write('x'.repeat(5000));
    src.write('y'.repeat(5000));
    src.write('\r\nNOOP\r\n');
    src.write('z'.repeat(11) + '\n');
    src.end();
    assert.deepEqual(await collect(r, 5), ['line:0123456789', 'overlong', 'line:NOOP', 'overlong', 'end']);
  });

  it('pauses the source while too much input is queued and resumes as it drains', async () => {
    const src = new PassThrough();
    const r = new LineReader(100, 1024);
    r.attach(src);
    src.write(Buffer.from('NOOP\r\n'.repeat(2000)));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(src.isPaused(), true);
    const got = await collect(r, 2000);
    assert.equal(got.length, 2000);
    assert.equal(src.isPaused(), false);
  });

  it('detach forgets queued input (nothing pipelined before STLS survives)', async () => {
    const src = new PassThrough();
    const r = new LineReader(100);
    r.attach(src);
    src.write('STLS\r\nUSER injected\r\n');
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(show(await r.next()), 'line:STLS');
    r.detach();
    assert.equal(r.pending, false);
    const next = new PassThrough();
    r.attach(next);
    next.end('CAPA\r\n');
    assert.deepEqual(await collect(r, 2), ['line:CAPA', 'end']);
  });
});
