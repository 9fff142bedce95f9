import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addressFacts, envelopeAddresses } from '../../src/mime/addresses.js';
import type { EnvelopeAddress } from '../../src/mime/types.js';

const A = (name: string | null, mailbox: string | null, host: string | null, adl: string | null = null): EnvelopeAddress => ({
  name,
  adl,
  mailbox,
  host,
});
const START = (group: string): EnvelopeAddress => A(null, group, null);
const END = A(null, null, null);

test('envelopeAddresses: RFC 5322 forms', () => {
  const cases: Array<[string, EnvelopeAddress[] | null]> = [
    ['a@b.c', [A(null, 'a', 'b.c')]],
    ['<a@b.c>', [A(null, 'a', 'b.c')]],
    ['Alice <a@b.c>', [A('Alice', 'a', 'b.c')]],
    ['Alice  Smith   <a@b.c>', [A('Alice Smith', 'a', 'b.c')]],
    ['"Smith, Alice" <a@b.c>', [A('Smith, Alice', 'a', 'b.c')]],
    ['"A \\"quoted\\" name" <a@b.c>', [A('A "quoted" name', 'a', 'b.c')]],
    ['"" <a@b.c>', [A(null, 'a', 'b.c')]],
    ['John Q. Public <jqp@x.y>', [A('John Q. Public', 'jqp', 'x.y')]],
    ['=?utf-8?q?J=C3=B6rg?= <j@x.y>', [A('=?utf-8?q?J=C3=B6rg?=', 'j', 'x.y')]],
    ['a@b.c (Alice)', [A('Alice', 'a', 'b.c')]],
    ['Alice (work) <a@b.c>', [A('Alice', 'a', 'b.c')]],
    ['<a@b.c> (comment after)', [A('comment after', 'a', 'b.c')]],
    ['a(c1)@(c2)b.c', [A('c2', 'a', 'b.c')]],
    ['a@b.c, d@e.f', [A(null, 'a', 'b.c'), A(null, 'd', 'e.f')]],
    ['a@b.c,,, ,d@e.f,', [A(null, 'a', 'b.c'), A(null, 'd', 'e.f')]],
    ['"john doe"@example.com', [A(null, '"john doe"', 'example.com')]],
    ['john . doe @ example . com', [A(null, 'john.doe', 'example.com')]],
    ['user@[192.0.2.1]', [A(null, 'user', '[192.0.2.1]')]],
    ['User@EXAMPLE.com', [A(null, 'User', 'EXAMPLE.com')]],
    // Groups (RFC 5322 §3.4, RFC 3501 §7.4.2 markers).
    ['undisclosed-recipients:;', [START('undisclosed-recipients'), END]],
    ['Team: a@b.c, Bob <d@e.f>;', [START('Team'), A(null, 'a', 'b.c'), A('Bob', 'd', 'e.f'), END]],
    ['Team: a@b.c;, x@y.z', [START('Team'), A(null, 'a', 'b.c'), END, A(null, 'x', 'y.z')]],
    ['A: a@b.c; B: d@e.f;', [START('A'), A(null, 'a', 'b.c'), END, START('B'), A(null, 'd', 'e.f'), END]],
    ['Team: a@b.c', [START('Team'), A(null, 'a', 'b.c'), END]],
    ['"Quoted Group": a@b.c;', [START('Quoted Group'), A(null, 'a', 'b.c'), END]],
    ['Outer: Inner: a@b.c;;', [START('Outer'), A(null, 'a', 'b.c'), END]],
    // Obsolete route (RFC 5322 §4.4).
    ['<@r1.example,@r2.example:a@b.c>', [A(null, 'a', 'b.c', '@r1.example,@r2.example')]],
    ['Name <@r1.example:a@b.c>', [A('Name', 'a', 'b.c', '@r1.example')]],
    // Missing domain, null path, missing pieces.
    ['john', [A(null, 'john', null)]],
    ['John Smith', [A(null, 'John Smith', null)]],
    ['Alice <a>', [A('Alice', 'a', null)]],
    ['@b.c', [A(null, null, 'b.c')]],
    ['a@', [A(null, 'a', null)]],
    ['<>', null],
    ['"Mailer Daemon" <>', [A('Mailer Daemon', '', '')]],
    ['', null],
    ['   ', null],
    [',;,', null],
    ['(just a comment)', null],
    // Malformed but recoverable.
    ['Alice <a@b.c', [A('Alice', 'a', 'b.c')]],
    ['Alice <a@b.c>>', [A('Alice', 'a', 'b.c')]],
    ['a@b.c>', [A(null, 'a', 'b.c')]],
    ['Alice <a@b.c>, Bob <d@e.f', [A('Alice', 'a', 'b.c'), A('Bob', 'd', 'e.f')]],
    ['Alice <a@b.c, Bob <d@e.f>', [A('Alice', 'a', 'b.c'), A('Bob', 'd', 'e.f')]],
    ['a@b.c d@e.f', [A(null, 'a', 'b.c'), A(null, 'd', 'e.f')]],
    ['John Doe john@example.com', [A('John Doe', 'john', 'example.com')]],
    ['john@x.com <john@x.com>', [A('john@x.com', 'john', 'x.com')]],
    ['"unterminated <a@b.c>', [A(null, 'unterminated <a@b.c>', null)]],
    ['Alice <a@b.c> junk', [A('Alice', 'a', 'b.c')]],
    ['a@b@c', [A(null, 'a@b', 'c')]],
  ];
  for (const [input, want] of cases) assert.deepEqual(envelopeAddresses(input), want, input);
  assert.equal(envelopeAddresses(null), null);
});

test('addressFacts: decoded names, lowercased domains, groups flattened', () => {
  assert.deepEqual(addressFacts('=?utf-8?q?J=C3=B6rg?= <J@Example.COM>, Team: x@Y.z, "=?iso-8859-1?q?Ren=E9?=" <r@e.f>;'), [
    { name: 'Jörg', address: 'J@example.com' },
    { name: '', address: 'x@y.z' },
    { name: 'René', address: 'r@e.f' },
  ]);
  assert.deepEqual(addressFacts('undisclosed-recipients:;'), []);
  assert.deepEqual(addressFacts('<>'), []);
  assert.deepEqual(addressFacts('"Name" <>'), []);
  assert.deepEqual(addressFacts('local'), [{ name: '', address: 'local' }]);
  assert.deepEqual(addressFacts(null), []);
});

test('address parsing survives hostile input', () => {
  const hostile = [
    '<'.repeat(10000),
    '"'.repeat(10001),
    '('.repeat(10000) + ')'.repeat(5000),
    ':'.repeat(5000) + ';'.repeat(5000),
    Array.from({ length: 5000 }, (_, i) => `u${i}@d${i}.example`).join(', '),
    '\u0000\u0001\u00ff@\u0080',
    '[unterminated literal',
  ];
  for (const input of hostile) {
    assert.doesNotThrow(() => envelopeAddresses(input));
    assert.doesNotThrow(() => addressFacts(input));
  }
  assert.equal(envelopeAddresses(hostile[4]!)!.length, 5000);
});
