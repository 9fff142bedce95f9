import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { capabilities } from '../../src/pop3/capabilities.js';
import { Pop3Error } from '../../src/pop3/errors.js';
import {
  parseAuth,
  parseMessageNumber,
  parseNoArgs,
  parseOptionalMessageNumber,
  parsePass,
  parseTop,
  parseUser,
  splitCommand,
} from '../../src/pop3/parse.js';
import { decodeBase64, decodeInitialResponse, parseLoginField, parsePlain } from '../../src/pop3/sasl.js';

function rejects(fn: () => unknown, text: RegExp): void {
  assert.throws(fn, (err: unknown) => err instanceof Pop3Error && text.test(err.clientText), String(fn));
}

describe('pop3 command line splitting', () => {
  const ok: Array<[string, string, string]> = [
    ['STAT', 'STAT', ''],
    ['stat', 'STAT', ''],
    ['LiSt 1', 'LIST', '1'],
    ['PASS  two  spaces ', 'PASS', ' two  spaces '],
    ['TOP\t1 0', 'TOP', '1 0'],
    ['USER jürgen@example.com', 'USER', 'jürgen@example.com'],
    ['XTND', 'XTND', ''],
  ];
  for (const [line, keyword, args] of ok) {
    it(`splits ${JSON.stringify(line)}`, () => {
      assert.deepEqual(splitCommand(Buffer.from(line)), { keyword, args });
    });
  }
  const bad: Array<[string | Buffer, RegExp]> = [
    ['', /Unknown command/],
    [' STAT', /Unknown command/],
    ['ST4T', /Unknown command/],
    ['RETR\u00001', /Invalid characters/],
    [Buffer.from([0x55, 0x53, 0x45, 0x52, 0x20, 0x61, 0x00, 0x62]), /Invalid characters/],
    ['NOOP\x1b[31m', /Invalid characters/],
    ['DELE 1\x7f', /Invalid characters/],
    ['A'.repeat(17), /Unknown command/],
    ['é', /Unknown command/],
    ['+OK', /Unknown command/],
  ];
  for (const [line, text] of bad) {
    it(`refuses ${JSON.stringify(line.toString())}`, () => {
      rejects(() => splitCommand(Buffer.isBuffer(line) ? line : Buffer.from(line)), text);
      try {
        splitCommand(Buffer.isBuffer(line) ? line : Buffer.from(line));
      } catch (err) {
        assert.ok(err instanceof Pop3Error && err.bad, 'counts as a bad command');
        assert.ok(!/[\r\n]/.test(err.line()));
      }
    });
  }
});

describe('pop3 argument parsers', () => {
  it('no-argument commands accept only blanks', () => {
    assert.equal(parseNoArgs(''), null);
    assert.equal(parseNoArgs('   '), null);
    rejects(() => parseNoArgs('x'), /no arguments/);
    rejects(() => parseNoArgs(' 1 2'), /no arguments/);
  });

  it('message numbers are decimal digits only', () => {
    assert.equal(parseMessageNumber('1'), 1);
    assert.equal(parseMessageNumber(' 42 '), 42);
    assert.equal(parseMessageNumber('0'), 0, 'range is checked against the maildrop');
    assert.equal(parseMessageNumber('007'), 7);
    const hostile = ['', ' ', '-1', '+1', '1.5', '0x10', '1e3', 'one', '12345678901', '١', 'NaN', 'Infinity', '1,2'];
    for (const h of hostile) assert.throws(() => parseMessageNumber(h), Pop3Error, JSON.stringify(h));
    rejects(() => parseMessageNumber('1 2'), /Too many/);
    rejects(() => parseMessageNumber(''), /Missing/);
  });

  it('LIST and UIDL take an optional message number', () => {
    assert.equal(parseOptionalMessageNumber(''), null);
    assert.equal(parseOptionalMessageNumber('3'), 3);
    rejects(() => parseOptionalMessageNumber('3 4'), /Too many/);
    rejects(() => parseOptionalMessageNumber('x'), /Invalid message number/);
  });

  it('TOP needs a message number and a line count (0 allowed)', () => {
    assert.deepEqual(parseTop('1 0'), { message: 1, lines: 0 });
    assert.deepEqual(parseTop('2  10'), { message: 2, lines: 10 });
    rejects(() => parseTop('1'), /line count/);
    rejects(() => parseTop(''), /line count/);
    rejects(() => parseTop('1 -1'), /Invalid line count/);
    rejects(() => parseTop('1 x'), /Invalid line count/);
    rejects(() => parseTop('x 1'), /Invalid message number/);
    rejects(() => parseTop('1 2 3'), /Too many/);
  });

  it('USER trims, PASS keeps the whole rest of the line (RFC 1939 §7)', () => {
    assert.equal(parseUser(' alice '), 'alice');
    rejects(() => parseUser('   '), /Missing user name/);
    assert.equal(parsePass('pass word '), 'pass word ');
    assert.equal(parsePass(' '), ' ');
    rejects(() => parsePass(''), /Missing password/);
  });

  it('AUTH: bare, mechanism, mechanism with an initial response', () => {
    assert.deepEqual(parseAuth(''), { kind: 'list' });
    assert.deepEqual(parseAuth('plain'), { kind: 'start', mechanism: 'PLAIN', initialResponse: null });
    assert.deepEqual(parseAuth('PLAIN ='), { kind: 'start', mechanism: 'PLAIN', initialResponse: '=' });
    assert.deepEqual(parseAuth('LOGIN YWxpY2U='), { kind: 'start', mechanism: 'LOGIN', initialResponse: 'YWxpY2U=' });
    rejects(() => parseAuth('PLAIN a b'), /Too many/);
    rejects(() => parseAuth('PL/AIN'), /Invalid mechanism/);
    rejects(() => parseAuth('X'.repeat(21)), /Invalid mechanism/);
  });
});

describe('pop3 SASL decoding', () => {
  it('base64 is strict', () => {
    assert.equal(decodeBase64('YWxpY2U=').toString(), 'alice');
    assert.equal(decodeBase64('').length, 0);
    for (const bad of ['YWxpY2U', 'YWx=pY2U', '!!!!', 'YQ', 'YQ===', 'Y W x p']) assert.throws(() => decodeBase64(bad), Pop3Error, bad);
    assert.equal(decodeInitialResponse('=').length, 0);
  });

  it('PLAIN: authzid empty or the same user, exactly two NULs, UTF-8', () => {
    assert.deepEqual(parsePlain(Buffer.from('\0alice\0secret')), { username: 'alice', password: 'secret' });
    assert.deepEqual(parsePlain(Buffer.from('Alice\0alice\0pa ss')), { username: 'alice', password: 'pa ss' });
    assert.deepEqual(parsePlain(Buffer.from('\0jürgen\0pässword')), { username: 'jürgen', password: 'pässword' });
    const bad: Array<[Buffer, RegExp]> = [
      [Buffer.from('alice\0secret'), /Malformed/],
      [Buffer.from('\0alice\0secret\0x'), /Malformed/],
      [Buffer.from('\0\0secret'), /Malformed/],
      [Buffer.from('\0alice\0'), /Malformed/],
      [Buffer.from('bob\0alice\0secret'), /Authorization identity/],
      [Buffer.from([0, 0xff, 0xfe, 0, 0x61]), /encoding/],
      [Buffer.alloc(0), /Malformed/],
    ];
    for (const [msg, text] of bad) {
      assert.throws(() => parsePlain(msg), (e: unknown) => e instanceof Pop3Error && e.code === 'AUTH' && text.test(e.clientText));
    }
  });

  it('LOGIN fields are non-empty UTF-8 without NUL', () => {
    assert.equal(parseLoginField(Buffer.from('alice'), 'user name'), 'alice');
    assert.throws(() => parseLoginField(Buffer.alloc(0), 'password'), Pop3Error);
    assert.throws(() => parseLoginField(Buffer.from('a\0b'), 'password'), Pop3Error);
  });
});

describe('pop3 capabilities', () => {
  const base = { hideVersion: false, version: '1.2.3' };
  it('plaintext connection from loopback: USER, SASL and STLS', () => {
    assert.deepEqual(capabilities({ ...base, secure: false, plaintext: true }), [
      'TOP',
      'UIDL',
      'RESP-CODES',
      'AUTH-RESP-CODE',
      'PIPELINING',
      'USER',
      'SASL PLAIN LOGIN',
      'STLS',
      'IMPLEMENTATION Eider 1.2.3',
    ]);
  });
  it('no password mechanisms where plaintext is refused; no STLS once secure; version hidden', () => {
    const insecure = capabilities({ ...base, secure: false, plaintext: false });
    assert.ok(!insecure.includes('USER') && !insecure.some((c) => c.startsWith('SASL')) && insecure.includes('STLS'));
    const secure = capabilities({ secure: true, plaintext: true, hideVersion: true, version: '1.2.3' });
    assert.ok(!secure.includes('STLS'));
    assert.equal(secure.at(-1), 'IMPLEMENTATION Eider');
  });
});
