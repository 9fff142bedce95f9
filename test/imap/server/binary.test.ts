/** BINARY (RFC 3516) on the wire: advertised, decoded parts as literal8, BINARY.SIZE, partials, APPEND with literal8, UNKNOWN-CTE. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { imapFixture, type ImapFixture } from './helpers.js';

/** Every byte value, NUL and bare CR/LF included: what only literal8 may carry. */
const PAYLOAD = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

const crlf = (...lines: string[]): Buffer => Buffer.from(lines.join('\r\n') + '\r\n');

function mixed(encoding: string, body: string): Buffer {
  return crlf(
    'From: a@example.net',
    'Subject: binary',
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary=b',
    '',
    '--b',
    'Content-Type: text/plain',
    '',
    'see attachment',
    '--b',
    'Content-Type: application/octet-stream',
    `Content-Transfer-Encoding: ${encoding}`,
    '',
    body,
    '--b--',
  );
}

describe('BINARY', () => {
  let fx: ImapFixture;
  before(async () => {
    fx = await imapFixture();
  });
  after(() => fx.stop());

  it('is advertised', async () => {
    const u = await fx.user();
    const c = await u.connect();
    const caps = (await c.ok('CAPABILITY')).untagged.join(' ');
    assert.match(caps, / BINARY( |$)/);
    c.close();
  });

  it('BINARY.PEEK[2] is the decoded part as literal8; BINARY.SIZE[2] its decoded size; partials cut the decoded bytes', async () => {
    const u = await fx.user();
    await u.deliver('INBOX', mixed('base64', PAYLOAD.toString('base64').replace(/.{76}/g, '$&\r\n')));
    const c = await u.connect();
    await c.ok('SELECT INBOX');
    c.t.send('a FETCH 1 (BINARY.PEEK[2])');
    assert.equal(await c.t.line(), `* 1 FETCH (BINARY[2] ~{${PAYLOAD.length}}`);
    assert.ok((await c.t.bytes(PAYLOAD.length)).equals(PAYLOAD));
    assert.equal(await c.t.line(), ')');
    assert.match((await c.reply('a')).tagged, /^a OK/);
    const size = await c.ok('FETCH 1 (BINARY.SIZE[2])');
    assert.deepEqual(size.untagged, [`* 1 FETCH (BINARY.SIZE[2] ${PAYLOAD.length})`]);
    c.t.send('b FETCH 1 (BINARY.PEEK[2]<250.100>)');
    assert.equal(await c.t.line(), '* 1 FETCH (BINARY[2]<250> ~{6}');
    assert.ok((await c.t.bytes(6)).equals(PAYLOAD.subarray(250)));
    assert.equal(await c.t.line(), ')');
    await c.reply('b');
    const flags = await c.ok('FETCH 1 (FLAGS)');
    assert.doesNotMatch(flags.untagged.join(' '), /\\Seen/, 'PEEK leaves \\Seen alone');
    c.close();
  });

  it('APPEND accepts a literal8 with NUL octets in a binary part, and BINARY gives the bytes back', async () => {
    const u = await fx.user();
    const c = await u.connect();
    const raw = Buffer.concat([mixed('binary', '').subarray(0, -('\r\n--b--\r\n'.length)), PAYLOAD, Buffer.from('\r\n--b--\r\n')]);
    c.t.send(`a APPEND INBOX ~{${raw.length}}`);
    await c.t.expect(/^\+ /);
    c.t.write(Buffer.concat([raw, Buffer.from('\r\n')]));
    assert.match((await c.reply('a')).tagged, /^a OK \[APPENDUID \d+ 1\]/);
    await c.ok('SELECT INBOX');
    c.t.send('b FETCH 1 (BINARY.PEEK[2])');
    const head = await c.t.line();
    const n = Number(/~\{(\d+)\}$/.exec(head)?.[1]);
    assert.ok((await c.t.bytes(n)).subarray(0, PAYLOAD.length).equals(PAYLOAD));
    assert.equal(await c.t.line(), ')');
    await c.reply('b');
    c.close();
  });

  it('a NUL in a plain literal is refused; an unknown transfer encoding is NO [UNKNOWN-CTE]', async () => {
    const u = await fx.user();
    await u.deliver('INBOX', mixed('x-rot13', 'uryyb'));
    const c = await u.connect();
    const raw = crlf('Subject: nul', '', 'a\0b');
    c.t.send(`a APPEND INBOX {${raw.length}}`);
    await c.t.expect(/^\+ /);
    c.t.write(Buffer.concat([raw, Buffer.from('\r\n')]));
    assert.match((await c.reply('a')).tagged, /^a (BAD|NO) /);
    await c.ok('SELECT INBOX');
    assert.match((await c.cmd('FETCH 1 (BINARY.PEEK[2])')).tagged, /NO \[UNKNOWN-CTE\]/);
    c.t.send('b SEARCH TEXT ~{3}');
    await c.t.expect(/^\+ /);
    c.t.write('abc\r\n');
    assert.match((await c.reply('b')).tagged, /^b BAD /, 'literal8 is for APPEND data only');
    assert.match((await c.cmd('NOOP')).tagged, /OK/, 'the connection carries on');
    c.close();
  });
});
