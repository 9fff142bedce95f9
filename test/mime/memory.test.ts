/**
 * Memory stays bounded whatever the message size: 50 MB messages are
 * generated chunk by chunk (never built whole) and fed in 64 KiB chunks,
 * with garbage collection forced before each sample so that only what the
 * scanner retains is measured: V8 heap and Buffer memory both.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MimeScanner } from '../../src/mime/scanner.js';
import { liveMemory } from '../helpers/memory.js';
import type { ParsedMessage } from '../../src/mime/types.js';


const CHUNK = 64 * 1024;
const MB = 1024 * 1024;
const LIMIT = 30 * MB;

type Segment = Buffer | { pattern: Buffer; total: number };

/** Fresh 64 KiB chunks of the concatenated segments; repeated patterns are expanded as they are needed. */
function* chunks(segments: Segment[]): Generator<Buffer> {
  let chunk = Buffer.allocUnsafe(CHUNK);
  let fill = 0;
  const put = (src: Buffer, start: number, end: number): Buffer[] => {
    const out: Buffer[] = [];
    while (start < end) {
      const n = Math.min(end - start, CHUNK - fill);
      src.copy(chunk, fill, start, start + n);
      fill += n;
      start += n;
      if (fill === CHUNK) {
        out.push(chunk);
        chunk = Buffer.allocUnsafe(CHUNK);
        fill = 0;
      }
    }
    return out;
  };
  for (const seg of segments) {
    if (Buffer.isBuffer(seg)) {
      yield* put(seg, 0, seg.length);
      continue;
    }
    let left = seg.total;
    while (left > 0) {
      const n = Math.min(left, seg.pattern.length);
      yield* put(seg.pattern, 0, n);
      left -= n;
    }
  }
  if (fill > 0) yield chunk.subarray(0, fill);
}

const usage = liveMemory;

function feed(segments: Segment[]): { msg: ParsedMessage; growth: number; total: number } {
  const base = usage();
  let peak = 0;
  let total = 0;
  let n = 0;
  const scanner = new MimeScanner();
  for (const c of chunks(segments)) {
    scanner.write(c);
    total += c.length;
    if (++n % 64 === 0) peak = Math.max(peak, usage() - base);
  }
  const msg = scanner.end();
  peak = Math.max(peak, usage() - base);
  return { msg, growth: peak, total };
}

const b64Pattern = (lines: number): Buffer => {
  const data = Buffer.from(Array.from({ length: 57 * lines }, (_, i) => (i * 131 + 7) & 0xff));
  return Buffer.from(data.toString('base64').replace(/.{76}/g, '$&\r\n'));
};

test('50 MB message with a base64 attachment', () => {
  const total = 50 * MB;
  const header = Buffer.from(
    'From: a@example.com\r\nSubject: big\r\nContent-Type: multipart/mixed; boundary=big\r\n\r\n--big\r\nContent-Type: text/plain\r\n\r\nsee attachment\r\n--big\r\nContent-Type: application/octet-stream; name=big.bin\r\nContent-Transfer-Encoding: base64\r\n\r\n',
  );
  const pattern = b64Pattern(1000);
  const trailer = Buffer.from('\r\n--big--\r\n');
  const bodyLen = total - header.length - trailer.length;
  const { msg, growth } = feed([header, { pattern, total: bodyLen }, trailer]);
  assert.ok(growth < LIMIT, `memory grew by ${(growth / MB).toFixed(1)} MB`);
  assert.equal(msg.size, total);
  const att = msg.root.children![1]!;
  assert.equal(att.bodyStart, header.length);
  assert.equal(att.size, bodyLen);
  assert.deepEqual(msg.facts.attachments.map((a) => [a.filename, a.size]), [['big.bin', bodyLen]]);
  assert.equal(msg.facts.text, 'see attachment');
  assert.deepEqual(msg.warnings, []);
});

test('50 MB base64 text part: decoded text capped, memory bounded', () => {
  const header = Buffer.from('Subject: big text\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n');
  const text = Buffer.from('Große Datenmenge, sehr viel Text. '.repeat(2000), 'utf8');
  const pattern = Buffer.from(text.subarray(0, 57 * 1000).toString('base64').replace(/.{76}/g, '$&\r\n'));
  const { msg, growth } = feed([header, { pattern, total: 50 * MB - header.length }]);
  assert.ok(growth < LIMIT, `memory grew by ${(growth / MB).toFixed(1)} MB`);
  assert.equal(msg.facts.textTruncated, true);
  assert.ok(msg.facts.text.length <= MB && msg.facts.text.length > MB / 2);
  assert.ok(msg.facts.text.startsWith('Große Datenmenge'));
});

test('a single 20 MB line, in a text part and in the header', () => {
  const header = Buffer.from('Subject: long line\r\nContent-Type: multipart/mixed; boundary=L\r\n\r\n--L\r\nContent-Type: text/plain\r\n\r\n');
  const line = 20 * MB;
  const trailer = Buffer.from('\r\n--L\r\nContent-Type: text/plain\r\n\r\nafter\r\n--L--\r\n');
  const { msg, growth } = feed([header, { pattern: Buffer.from('abcdefghij'), total: line }, trailer]);
  assert.ok(growth < LIMIT, `memory grew by ${(growth / MB).toFixed(1)} MB`);
  const [first, second] = msg.root.children!;
  assert.equal(first!.size, line);
  assert.equal(first!.lines, 1);
  assert.equal(second!.bodyEnd - second!.bodyStart, 5);
  assert.ok(msg.warnings.some((w) => /line over 998/.test(w)));
  assert.equal(msg.facts.textTruncated, true);

  const hdr = feed([Buffer.from('X-Long: '), { pattern: Buffer.from('0123456789'), total: line }, Buffer.from('\r\nSubject: after\r\n\r\nbody')]);
  assert.ok(hdr.growth < LIMIT, `memory grew by ${(hdr.growth / MB).toFixed(1)} MB`);
  assert.equal(hdr.msg.headerLength, hdr.total - 4);
  assert.equal(hdr.msg.envelope.subject, null, 'fields past the header cap are not parsed');
});
