/**
 * Every parser sees attacker-sized input (header values up to the 256 KiB
 * header cap, text up to the text limit). None may be super-linear: each of
 * these ~200 KB inputs must be handled in well under a second.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addressFacts, envelopeAddresses } from '../../src/mime/addresses.js';
import { decodeCharset } from '../../src/mime/charset.js';
import { parseMailDate } from '../../src/mime/date.js';
import { decodeWords } from '../../src/mime/encoded-words.js';
import { parseHeaderBlock } from '../../src/mime/headers.js';
import { htmlToText } from '../../src/mime/html-text.js';
import { parseContentType, parseDisposition, parseLanguageList } from '../../src/mime/params.js';
import { parseMessageBuffer } from '../../src/mime/scanner.js';

const N = 200_000;
const rep = (s: string): string => s.repeat(Math.ceil(N / s.length));

const INPUTS: string[] = [
  rep('=?a?q?'),
  rep('=?'),
  rep('=?utf-8?q?x?= '),
  rep(' ') + 'x',
  'a' + rep(' ') + 'b)',
  rep('"'),
  rep('('),
  rep('\\'),
  rep(';'),
  rep('a=b;'),
  rep('name*0*=%'),
  rep('<'),
  rep('@,'),
  rep(':'),
  rep('<@a,'),
  rep('\ufffd') + 'x',
  rep('&#'),
  rep('<a '),
  rep('1 '),
  rep('Jan '),
];

function timed(name: string, f: () => unknown): void {
  const started = Date.now();
  f();
  const ms = Date.now() - started;
  assert.ok(ms < 1500, `${name} took ${ms} ms`);
}

test('parsers stay linear on adversarial input', () => {
  for (const input of INPUTS) {
    const tag = JSON.stringify(input.slice(0, 12));
    timed(`decodeWords ${tag}`, () => decodeWords(input));
    timed(`parseContentType ${tag}`, () => parseContentType(`text/plain; charset=${input}; name=${input}`));
    timed(`parseDisposition ${tag}`, () => parseDisposition(input));
    timed(`parseLanguageList ${tag}`, () => parseLanguageList(input));
    timed(`envelopeAddresses ${tag}`, () => envelopeAddresses(input));
    timed(`addressFacts ${tag}`, () => addressFacts(input));
    timed(`parseMailDate ${tag}`, () => parseMailDate(input));
    timed(`htmlToText ${tag}`, () => htmlToText(input));
    timed(`decodeCharset ${tag}`, () => decodeCharset(Buffer.from(input), input));
    timed(`parseHeaderBlock ${tag}`, () => parseHeaderBlock(Buffer.from(`X: ${input}\r\n`)));
  }
});

test('the scanner stays linear on adversarial headers and bodies', () => {
  for (const input of INPUTS) {
    const raw = Buffer.from(
      `Subject: ${input}\r\nFrom: ${input}\r\nContent-Type: multipart/mixed; boundary=b; x=${input}\r\n\r\n--b\r\nContent-Type: text/html; charset=${input}\r\nContent-Disposition: ${input}\r\n\r\n${input}\r\n--b--\r\n`,
    );
    timed(`scanner ${JSON.stringify(input.slice(0, 12))}`, () => parseMessageBuffer(raw));
  }
});
