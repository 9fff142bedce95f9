import { test } from 'node:test';
import assert from 'node:assert/strict';
import iconv from 'iconv-lite';
import { decodeWords } from '../../src/mime/encoded-words.js';
import { decodeCharset, iso2022jpToEucJp, isKnownCharset } from '../../src/mime/charset.js';

const b = (s: string, cs: string): string => iconv.encode(s, cs).toString('base64');

test('decodeWords: charsets', () => {
  const cases: Array<[string, string]> = [
    ['=?utf-8?B?w6nDqMOg?=', 'éèà'],
    ['=?UTF-8?Q?caf=C3=A9?=', 'café'],
    ['=?iso-8859-1?q?caf=E9?=', 'café'],
    ['=?ISO-8859-15?Q?=A4?=', '€'],
    ['=?windows-1252?Q?=93hi=94?=', '“hi”'],
    ['=?iso-8859-2?q?=B1?=', 'ą'],
    ['=?koi8-r?B?' + b('Привет', 'koi8-r') + '?=', 'Привет'],
    ['=?windows-1251?B?' + b('Дорого', 'win1251') + '?=', 'Дорого'],
    ['=?gb2312?B?' + b('你好', 'gb2312') + '?=', '你好'],
    ['=?GBK?B?' + b('汉字', 'gbk') + '?=', '汉字'],
    ['=?gb18030?B?' + b('𠀀', 'gb18030') + '?=', '𠀀'],
    ['=?big5?B?' + b('中文', 'big5') + '?=', '中文'],
    ['=?euc-kr?B?' + b('한국어', 'euc-kr') + '?=', '한국어'],
    ['=?ks_c_5601-1987?B?' + b('안녕', 'cp949') + '?=', '안녕'],
    ['=?shift_jis?B?' + b('日本', 'shift_jis') + '?=', '日本'],
    ['=?euc-jp?B?' + b('日本', 'euc-jp') + '?=', '日本'],
    ['=?ISO-2022-JP?B?GyRCRnxLXDhsGyhC?=', '日本語'],
    ['=?iso-2022-jp?B?GyRCJEskWyRzGyhCIGFiYw==?=', 'にほん abc'],
    ['=?utf-16be?B?' + b('Ω', 'utf16be') + '?=', 'Ω'],
    ['=?utf-7?Q?Hi_+ZeVnLIqe-?=', 'Hi 日本語'],
    ['=?iso-8859-7?Q?=E1=E2?=', 'αβ'],
    ['=?iso-8859-8-i?Q?=F9=EC=E5=ED?=', 'שלום'],
    ['=?tis-620?Q?=A1?=', 'ก'],
    ['=?utf-8*en?Q?lang_suffix?=', 'lang suffix'],
  ];
  for (const [input, want] of cases) assert.equal(decodeWords(input), want, input);
});

test('decodeWords: whitespace and adjacency rules (RFC 2047 §6.2)', () => {
  const cases: Array<[string, string]> = [
    ['=?utf-8?q?a?= =?utf-8?q?b?=', 'ab'],
    ['=?utf-8?q?a?=\r\n =?utf-8?q?b?=', 'ab'],
    ['=?utf-8?q?a?=   \t =?iso-8859-1?q?b?=', 'ab'],
    ['=?utf-8?q?a?= x =?utf-8?q?b?=', 'a x b'],
    ['plain =?utf-8?q?a?= plain', 'plain a plain'],
    ['=?utf-8?q?a_b?=', 'a b'],
    ['=?utf-8?q?a=5Fb?=', 'a_b'],
    ['=?utf-8?q?lower=c3=a9?=', 'loweré'],
    // A UTF-8 sequence split across two words (bad encoders do this).
    ['=?utf-8?B?4oK=?= =?utf-8?B?rA==?=', '€'],
    ['=?utf-8?Q?=E2=82?= =?utf-8?Q?=AC?=', '€'],
    // Glued to surrounding text.
    ['Re:=?utf-8?q?x?=y', 'Re:xy'],
    // Spaces inside a Q word.
    ['=?utf-8?q?with space?=', 'with space'],
  ];
  for (const [input, want] of cases) assert.equal(decodeWords(input), want, JSON.stringify(input));
});

test('decodeWords: broken input never throws and degrades gracefully', () => {
  const cases: Array<[string, string]> = [
    ['=?utf-8?q?unterminated', '=?utf-8?q?unterminated'],
    ['=?utf-8?x?bad encoding?=', '=?utf-8?x?bad encoding?='],
    ['=??q?no charset?=', '=??q?no charset?='],
    ['=?x-unknown-charset?q?caf=C3=A9?=', 'café'],
    ['=?x-unknown-charset?q?caf=E9?=', 'café'],
    ['=?utf-8?b?!!!w6k=?=', 'é'],
    ['=?utf-8?b?w6k?=', 'é'],
    ['=?utf-8?q?bad=ZZescape=?=', 'bad=ZZescape='],
    ['=?utf-8?b??=', ''],
    ['=?utf-8?b?/w==?=', '\ufffd'],
    ['no words at all', 'no words at all'],
    ['', ''],
  ];
  for (const [input, want] of cases) assert.equal(decodeWords(input), want, input);
  // Hostile volume: many words, long garbage.
  const many = Array.from({ length: 5000 }, () => '=?utf-8?q?x?=').join(' ');
  assert.equal(decodeWords(many), 'x'.repeat(5000));
  assert.doesNotThrow(() => decodeWords('=?'.repeat(10000) + '?='.repeat(10000)));
});

test('charset helpers', () => {
  assert.equal(isKnownCharset('ISO-2022-JP'), true);
  assert.equal(isKnownCharset('x-nope'), false);
  assert.equal(decodeCharset(Buffer.from([0xe9]), null), 'é');
  assert.equal(decodeCharset(Buffer.from('é', 'utf8'), 'us-ascii'), 'é');
  assert.equal(decodeCharset(Buffer.from([0x80]), 'iso-8859-1'), '€');
  assert.equal(decodeCharset(Buffer.from('"x"', 'latin1'), '"utf-8"'), '"x"');
  // JIS X 0201 katakana via ESC ( I, and SO/SI.
  assert.equal(decodeCharset(Buffer.from([0x1b, 0x28, 0x49, 0x31, 0x1b, 0x28, 0x42]), 'iso-2022-jp'), 'ｱ');
  assert.equal(decodeCharset(Buffer.from([0x0e, 0x31, 0x0f, 0x41]), 'iso-2022-jp'), 'ｱA');
  // A truncated two-byte sequence does not crash.
  assert.doesNotThrow(() => iso2022jpToEucJp(Buffer.from([0x1b, 0x24, 0x42, 0x46])));
});
