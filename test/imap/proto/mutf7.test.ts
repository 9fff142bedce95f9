import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Mutf7Error } from '../../../src/imap/errors.js';
import { decodeMutf7, encodeMutf7, isValidMutf7 } from '../../../src/imap/proto/mutf7.js';

const pairs: Array<[string, string]> = [
  ['INBOX', 'INBOX'],
  ['&', '&-'],
  ['Tom & Jerry', 'Tom &- Jerry'],
  ['Entwürfe', 'Entw&APw-rfe'],
  ['~peter/mail/台北/日本語', '~peter/mail/&U,BTFw-/&ZeVnLIqe-'],
  ['Gelöschte Elemente', 'Gel&APY-schte Elemente'],
  ['😀', '&2D3eAA-'],
  ['a\u00e9&\u00e9', 'a&AOk-&-&AOk-'],
  ['\t', '&AAk-'],
  ['', ''],
];

describe('modified UTF-7', () => {
  for (const [unicode, wire] of pairs) {
    it(`encodes ${JSON.stringify(unicode)}`, () => assert.equal(encodeMutf7(unicode), wire));
    it(`decodes ${JSON.stringify(wire)}`, () => assert.equal(decodeMutf7(wire), unicode));
  }

  const bad: Array<[string, string]> = [
    ['&Jjo', 'unterminated shift'],
    ['&Jjo!-', 'invalid base64 character'],
    ['&Jj/-', 'slash is not modified base64'],
    ['&AGE-', 'shifted printable ASCII ("a")'],
    ['&ACY-', 'shifted "&"'],
    ['&AAA-', 'NUL'],
    ['&2D0-', 'lone high surrogate'],
    ['&3gA-', 'lone low surrogate'],
    ['&2D3eAA-&2D3eAA-', 'adjacent shifted runs'],
    ['&APw', 'unterminated'],
    ['&APx-', 'non-zero padding bits'],
    ['&A-', 'too few bits for one unit'],
    ['&APwA-', 'excess padding (6+ bits)'],
    ['Entwürfe', 'raw 8-bit'],
    ['a\nb', 'control character'],
    ['&AP=-', 'base64 padding char'],
  ];
  for (const [wire, why] of bad) {
    it(`refuses ${JSON.stringify(wire)} (${why})`, () => {
      assert.throws(() => decodeMutf7(wire), Mutf7Error);
      assert.equal(isValidMutf7(wire), false);
    });
  }

  it('allows &- right after a shifted run', () => assert.equal(decodeMutf7('&APw-&-'), 'ü&'));
  it('refuses to encode unpaired surrogates and NUL', () => {
    assert.throws(() => encodeMutf7('\ud83d'), Mutf7Error);
    assert.throws(() => encodeMutf7('\ude00x'), Mutf7Error);
    assert.throws(() => encodeMutf7('a\0b'), Mutf7Error);
  });
  it('round-trips every BMP code unit class', () => {
    const sample = 'ASCII ü € 中 \u0001 \u007f 😀 &&';
    assert.equal(decodeMutf7(encodeMutf7(sample)), sample);
  });
});
