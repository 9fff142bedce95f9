/** BINARY[], BINARY.PEEK[] and BINARY.SIZE[] (RFC 3516) on a real store. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fetchResponse, UnknownCteError } from '../../../src/imap/fetch/render.js';
import { ImapParseError } from '../../../src/imap/errors.js';
import type { MessageRecord } from '../../../src/storage/types.js';
import { fetchItems, openTestStore, putMessage, wireText, type TestStore } from './helpers.js';

const crlf = (...lines: string[]): string => lines.join('\r\n');

const PAYLOAD = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7) % 256));
const B64 = PAYLOAD.toString('base64').replace(/.{76}/g, '$&\r\n');

const RAW = Buffer.from(
  crlf(
    'Subject: binary',
    'Content-Type: multipart/mixed; boundary=b',
    '',
    '--b',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: quoted-printable',
    '',
    'caf=C3=A9 soft=',
    'break, trailing   ',
    'end=3D',
    '--b',
    'Content-Type: application/octet-stream',
    'Content-Transfer-Encoding: base64',
    '',
    B64,
    '--b',
    'Content-Type: text/plain',
    'Content-Transfer-Encoding: x-uuencode',
    '',
    'begin 644 x',
    '--b',
    'Content-Type: text/plain',
    'Content-Transfer-Encoding: 8bit',
    '',
    'eight bit \u00e9',
    '--b--',
    '',
  ),
  'latin1',
);

let t: TestStore;
let record: MessageRecord;

async function fetchText(items: string): Promise<string> {
  return wireText(await fetchResponse(record, fetchItems(items), { store: t.store, includeUid: false, includeModseq: false }));
}

before(async () => {
  t = await openTestStore();
  record = await putMessage(t, RAW);
});
after(async () => t.close());

describe('BINARY', () => {
  const qp = 'caf\u00c3\u00a9 softbreak, trailing\r\nend=';
  it('decodes quoted-printable (soft breaks joined, trailing blanks dropped) into a literal8', async () => {
    assert.equal(await fetchText('BINARY.PEEK[1]'), `(BINARY[1] ~{${qp.length}}\r\n${qp})`);
    assert.equal(await fetchText('BINARY.SIZE[1]'), `(BINARY.SIZE[1] ${qp.length})`);
  });

  it('decodes base64 while streaming, with partials over the decoded octets', async () => {
    assert.equal(await fetchText('BINARY.SIZE[2]'), `(BINARY.SIZE[2] ${PAYLOAD.length})`);
    assert.equal(await fetchText('BINARY.PEEK[2]'), `(BINARY[2] ~{${PAYLOAD.length}}\r\n${PAYLOAD.toString('latin1')})`);
    const slice = PAYLOAD.subarray(1000, 1100).toString('latin1');
    assert.equal(await fetchText('BINARY.PEEK[2]<1000.100>'), `(BINARY[2]<1000> ~{100}\r\n${slice})`);
    assert.equal(await fetchText(`BINARY.PEEK[2]<${PAYLOAD.length - 1}.9>`), `(BINARY[2]<${PAYLOAD.length - 1}> ~{1}\r\n${PAYLOAD.toString('latin1', PAYLOAD.length - 1)})`);
    assert.equal(await fetchText(`BINARY.PEEK[2]<${PAYLOAD.length}.9>`), `(BINARY[2]<${PAYLOAD.length}> ~{0}\r\n)`);
  });

  it('refuses an unknown encoding with NO [UNKNOWN-CTE], for that part only', async () => {
    for (const item of ['BINARY.PEEK[3]', 'BINARY[3]<0.10>', 'BINARY.SIZE[3]']) {
      await assert.rejects(fetchText(item), (err: unknown) => {
        assert.ok(err instanceof UnknownCteError && err instanceof ImapParseError);
        assert.equal(err.status, 'NO');
        assert.deepEqual(err.code, { name: 'UNKNOWN-CTE' });
        assert.equal(err.encoding, 'X-UUENCODE');
        return true;
      });
    }
    assert.equal(await fetchText('BODY.PEEK[3]'), '(BODY[3] {11}\r\nbegin 644 x)');
  });

  it('sends identity encodings as stored, in a plain literal when there is no NUL', async () => {
    assert.equal(await fetchText('BINARY.PEEK[4]'), '(BINARY[4] {11}\r\neight bit \u00e9)');
    assert.equal(await fetchText('BINARY.SIZE[4]'), '(BINARY.SIZE[4] 11)');
  });

  it('sends the whole message and multiparts as stored', async () => {
    assert.equal(await fetchText('BINARY.SIZE[]'), `(BINARY.SIZE[] ${RAW.length})`);
    assert.equal(await fetchText('BINARY.PEEK[]<0.15>'), '(BINARY[]<0> {15}\r\nSubject: binary)');
  });

  it('answers a missing part with an empty literal and size 0', async () => {
    assert.equal(await fetchText('BINARY.PEEK[7]'), '(BINARY[7] {0}\r\n)');
    assert.equal(await fetchText('BINARY.SIZE[1.1.1]'), '(BINARY.SIZE[1.1.1] 0)');
  });
});
