/** message/rfc822, message/global and multipart/digest structure. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crlf, inspect as parse, outline } from './helpers.js';

test('multipart/digest: children default to message/rfc822', () => {
  const r = parse(
    crlf(
      'Content-Type: multipart/digest; boundary=d',
      '',
      '--d',
      '',
      'Subject: one',
      '',
      'body one',
      '--d',
      'Content-Type: text/plain',
      '',
      'explicit text',
      '--d',
      'Content-Type: garbage',
      '',
      'Subject: invalid type falls back to the digest default',
      '',
      'x',
      '--d--',
    ),
  );
  assert.deepEqual(outline(r.msg), [
    '- multipart/digest',
    '1 message/rfc822',
    '1/root text/plain',
    '2 text/plain',
    '3 message/rfc822',
    '3/root text/plain',
  ]);
  assert.equal(r.part('1').message!.envelope.subject, 'one');
  assert.equal(r.part('1/root').path, '1');
  assert.equal(r.body('1/root'), 'body one');
  assert.equal(r.part('1').lines, 3);
});

test('message/rfc822: envelope, root offsets, and cases that are not descended', () => {
  const r = parse(
    crlf(
      'Content-Type: multipart/mixed; boundary=b',
      '',
      '--b',
      'Content-Type: message/rfc822',
      '',
      'From: Inner <inner@example.com>',
      'Subject: inner',
      'Content-Type: multipart/alternative; boundary=i',
      '',
      '--i',
      '',
      'alt',
      '--i--',
      '--b',
      'Content-Type: message/rfc822',
      'Content-Transfer-Encoding: base64',
      '',
      'U3ViamVjdDogeA0KDQp4',
      '--b',
      'Content-Type: message/rfc822',
      '',
      '--b',
      'Content-Type: message/rfc822',
      '--b--',
    ),
  );
  assert.deepEqual(outline(r.msg), [
    '- multipart/mixed',
    '1 message/rfc822',
    '1/root multipart/alternative',
    '1.1 text/plain',
    '2 message/rfc822',
    '3 message/rfc822',
    '3/root text/plain',
    '4 message/rfc822',
  ]);
  const env = r.part('1').message!.envelope;
  assert.equal(env.subject, 'inner');
  assert.deepEqual(env.from, [{ name: 'Inner', adl: null, mailbox: 'inner', host: 'example.com' }]);
  assert.deepEqual(env.sender, env.from);
  assert.equal(r.part('1/root').headerStart, r.part('1').bodyStart);
  assert.equal(r.part('1/root').bodyEnd, r.part('1').bodyEnd);
  assert.equal(r.body('1.1'), 'alt');
  assert.equal(r.part('2').message, undefined);
  assert.ok(r.hasWarning(/part 2: message\/rfc822 with BASE64 encoding not parsed/));
  // Empty body: an embedded message with an empty header.
  assert.deepEqual([r.part('3/root').headerStart, r.part('3/root').bodyStart, r.part('3/root').bodyEnd], [
    r.part('3').bodyStart,
    r.part('3').bodyStart,
    r.part('3').bodyStart,
  ]);
  assert.equal(r.part('3').message!.envelope.subject, null);
  assert.equal(r.part('4').message, undefined);
});

test('top-level message/rfc822: embedded root is part 1', () => {
  const r = parse(crlf('Content-Type: message/rfc822', '', 'Subject: inner', 'Content-Type: multipart/mixed; boundary=z', '', '--z', '', 'a', '--z--'));
  assert.deepEqual(outline(r.msg), ['- message/rfc822', '/root multipart/mixed', '1.1 text/plain']);
  assert.equal(r.part('/root').path, '1');
  assert.equal(r.body('1.1'), 'a');
});

