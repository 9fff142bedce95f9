/**
 * BODYSTRUCTURE parameters (RFC 2231 sections joined, undecoded), message/global
 * as a basic part, and body-fld-lines from lineBreaks: the Dovecot-compatible
 * rendering added for the FETCH comparison (issue #4).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bodyParams } from '../../../src/imap/proto/body-params.js';
import { bodyStructure } from '../../../src/imap/proto/bodystructure.js';
import { serializeValue } from '../../../src/imap/proto/values.js';
import { parseMessageBuffer } from '../../../src/mime/scanner.js';

type P = Array<[string, string]>;

describe('bodyParams', () => {
  const cases: Array<[string, P, P]> = [
    ['plain parameters pass through in order', [['charset', 'utf-8'], ['format', 'flowed']], [['charset', 'utf-8'], ['format', 'flowed']]],
    ['a bare extended value stays encoded', [['name*', "utf-8''%E2%9C%93"]], [['name*', "utf-8''%E2%9C%93"]]],
    ['extended sections join under name*', [['name*0*', "utf-8'en'a%20"], ['name*1*', 'b']], [['name*', "utf-8'en'a%20b"]]],
    ['sections out of order are sorted', [['name*1*', 'two'], ['x', '1'], ['name*0*', "utf-8''one"]], [['x', '1'], ['name*', "utf-8''onetwo"]]],
    ['plain sections join under the plain name', [['title*0', 'long '], ['title*1', 'name'], ['title*2', '.txt']], [['title', 'long name.txt']]],
    ['mixed sections count as extended', [['filename*0*', "utf-8''a%20"], ['filename*1', 'b c']], [['filename*', "utf-8''a%20b c"]]],
    ['a gap leaves the sections as written', [['t*0', 'a'], ['t*2', 'c']], [['t*0', 'a'], ['t*2', 'c']]],
    ['duplicate sections are left as written', [['t*0', 'a'], ['t*0', 'b']], [['t*0', 'a'], ['t*0', 'b']]],
    ['RFC 2231 parameters follow the plain ones', [['a*', "x''y"], ['b', '2']], [['b', '2'], ['a*', "x''y"]]],
    ['a name that is only "*" is plain', [['*', 'v'], ['*0', 'w']], [['*', 'v'], ['*0', 'w']]],
  ];
  for (const [name, raw, want] of cases) it(name, () => assert.deepEqual(bodyParams([], raw), want));
  it('uses the decoded list when a record has no rawParams', () => assert.deepEqual(bodyParams([['name', 'é']], undefined), [['name', 'é']]));
});

describe('BODYSTRUCTURE from scanner output', () => {
  const text = (raw: string): string => serializeValue(bodyStructure(parseMessageBuffer(Buffer.from(raw)).root)).toString('latin1');

  it('joins RFC 2231 sections of Content-Type and Content-Disposition', () => {
    const raw = [
      'Content-Type: application/pdf; name*0*=utf-8\'\'r%C3%A9; name*1*=sum%C3%A9.pdf',
      'Content-Disposition: attachment; filename*0="r"; filename*1="esume.pdf"',
      '',
      'x',
    ].join('\r\n');
    assert.equal(
      text(raw),
      '("application" "pdf" ("name*" "utf-8\'\'r%C3%A9sum%C3%A9.pdf") NIL NIL "7BIT" 1 NIL ("attachment" ("filename" "resume.pdf")) NIL NIL)',
    );
  });

  it('describes message/global as a basic part and counts line breaks', () => {
    const raw = [
      'Content-Type: multipart/mixed; boundary=b',
      '',
      '--b',
      '',
      'one line',
      '--b',
      'Content-Type: message/global',
      '',
      'Subject: x',
      '',
      'y',
      '--b--',
      '',
    ].join('\r\n');
    assert.equal(
      text(raw),
      '(("text" "plain" ("charset" "us-ascii") NIL NIL "7BIT" 8 0 NIL NIL NIL NIL)' +
        '("message" "global" NIL NIL NIL "7BIT" 15 NIL NIL NIL NIL) "mixed" ("boundary" "b") NIL NIL NIL)',
    );
  });
});
