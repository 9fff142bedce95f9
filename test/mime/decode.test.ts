import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Base64Decoder, QuotedPrintableDecoder, createTransferDecoder, type TransferDecoder } from '../../src/mime/decode.js';
import { rng } from './helpers.js';

function run(dec: TransferDecoder, input: Buffer, cuts: number[] = []): Buffer {
  const out: Buffer[] = [];
  let pos = 0;
  for (const c of [...cuts, input.length]) {
    out.push(Buffer.from(dec.write(input.subarray(pos, c))));
    pos = c;
  }
  out.push(dec.end());
  return Buffer.concat(out);
}

/** Whole, one byte at a time, and random splits must all agree. */
function allSplits(make: () => TransferDecoder, input: Buffer): Buffer {
  const whole = run(make(), input);
  const bytewise = run(make(), input, Array.from({ length: input.length }, (_, i) => i));
  assert.deepEqual(bytewise, whole, 'byte-at-a-time differs');
  const r = rng(input.length + 7);
  for (let k = 0; k < 20; k++) {
    const cuts = Array.from({ length: 5 }, () => Math.floor(r() * input.length)).sort((a, b) => a - b);
    assert.deepEqual(run(make(), input, cuts), whole, `split at ${cuts.join(',')}`);
  }
  return whole;
}

test('quoted-printable: RFC 2045 §6.7 rules, any split', () => {
  const cases: Array<[string, string]> = [
    ['plain text', 'plain text'],
    ['caf=C3=A9', 'café'],
    ['lower=c3=a9', 'loweré'],
    ['soft=\nbreak', 'softbreak'],
    ['soft=  \t\nbreak, blanks after =', 'softbreak, blanks after '],
    ['trailing blanks   \nnext', 'trailing blanks\nnext'],
    ['trailing tab\t\nnext', 'trailing tab\nnext'],
    ['= alone', '= alone'],
    ['=ZZ bad', '=ZZ bad'],
    ['=4 half', '=4 half'],
    ['end with =', 'end with '],
    ['end with =4', 'end with =4'],
    ['=3D equals', '= equals'],
    ['a=\n=\nb', 'ab'],
    ['lines\n\n\nkept', 'lines\n\n\nkept'],
    ['blanks at end   ', 'blanks at end'],
    ['lone \r cr', 'lone \r cr'],
    ['=\r\nsoft with CR', 'soft with CR'],
  ];
  for (const [input, want] of cases) {
    const got = allSplits(() => new QuotedPrintableDecoder(), Buffer.from(input, 'latin1'));
    assert.equal(got.toString('utf8'), want, JSON.stringify(input));
  }
  // Long runs of blanks that are not at a line end survive.
  const spaces = 'x' + ' '.repeat(1000) + 'y';
  assert.equal(allSplits(() => new QuotedPrintableDecoder(), Buffer.from(spaces)).toString(), spaces);
});

test('base64: tolerant, any split', () => {
  const data = Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 37) & 0xff));
  const b64 = data.toString('base64');
  const wrapped = b64.replace(/.{76}/g, '$&\n');
  assert.deepEqual(allSplits(() => new Base64Decoder(), Buffer.from(wrapped)), data);
  assert.deepEqual(allSplits(() => new Base64Decoder(), Buffer.from(b64.replace(/.{60}/g, '$& !*\t\n'))), data);
  const cases: Array<[string, string]> = [
    ['aGVsbG8=', 'hello'],
    ['aGVsbG8', 'hello'],
    ['aGVsbA==', 'hell'],
    ['aGVsbA', 'hell'],
    ['aGVsbA==d29ybGQ=', 'hellworld'],
    ['aGV sbG8 =', 'hello'],
    ['a', ''],
    ['', ''],
    ['====', ''],
    ['aGVs-_8', 'hel\u00fb\u00ff'],
  ];
  for (const [input, want] of cases) {
    assert.equal(allSplits(() => new Base64Decoder(), Buffer.from(input)).toString('latin1'), want, input);
  }
});

test('createTransferDecoder picks by encoding', () => {
  assert.ok(createTransferDecoder('BASE64') instanceof Base64Decoder);
  assert.ok(createTransferDecoder('quoted-printable') instanceof QuotedPrintableDecoder);
  const id = createTransferDecoder('X-UUENCODE');
  assert.equal(id.write(Buffer.from('as is')).toString(), 'as is');
});
