/** Pure pieces of the IMAP server: UID map, message-set resolution, LIST patterns, capabilities, SASL PLAIN. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { capabilities } from '../../../src/imap/capabilities.js';
import { CommandError } from '../../../src/imap/handler.js';
import { compilePattern, joinReference, MailboxTree } from '../../../src/imap/list-tree.js';
import { missingUids } from '../../../src/imap/gaps.js';
import { pages, resolveRuns, runsToUidRanges, uidRangesOf } from '../../../src/imap/message-set.js';
import { parseSequenceSet, type SequenceSet } from '../../../src/imap/proto/sequence-set.js';
import { decodePlain } from '../../../src/imap/sasl.js';
import { UidMap } from '../../../src/imap/uid-map.js';
import type { Mailbox } from '../../../src/storage/types.js';
import { plaintextAllowed } from '../../../src/auth/transport.js';

const set = (text: string): SequenceSet => parseSequenceSet(text);
const map = (...uids: number[]): UidMap => new UidMap(Uint32Array.from(uids));

describe('UidMap', () => {
  it('maps sequence numbers and UIDs both ways', () => {
    const m = map(3, 7, 9);
    assert.equal(m.seqOf(7), 2);
    assert.equal(m.seqOf(8), 0);
    assert.equal(m.uidAt(2), 9);
    assert.equal(m.maxUid, 9);
  });
  it('grows when appending and removes in one pass, returning the old sequence numbers', () => {
    const m = map(1, 2);
    m.append([5, 6, 8]);
    assert.deepEqual([...m.view()], [1, 2, 5, 6, 8]);
    assert.deepEqual(m.remove(new Set([2, 6])), [2, 4]);
    assert.deepEqual([...m.view()], [1, 5, 8]);
    assert.equal(map().maxUid, 0);
  });
});

describe('message sets', () => {
  const m = map(10, 11, 12, 20, 30);
  const resolve = (text: string, uid: boolean, saved: number[] | null = null) => resolveRuns(m, set(text), uid, saved);
  it('sequence numbers: ranges in either order, `*`, merged runs', () => {
    assert.deepEqual(resolve('1:2,2:3', false), [{ start: 0, end: 3 }]);
    assert.deepEqual(resolve('4:*', false), [{ start: 3, end: 5 }]);
    assert.deepEqual(resolve('5:4', false), [{ start: 3, end: 5 }]);
  });
  it('a sequence number above the message count is BAD, a `*` range is clamped', () => {
    assert.throws(() => resolve('6', false), (e: unknown) => e instanceof CommandError && e.status === 'BAD');
    assert.deepEqual(resolve('7:*', false), [{ start: 4, end: 5 }]);
    assert.deepEqual(resolveRuns(map(), set('1:*'), false, null), []);
  });
  it('UIDs that do not exist are skipped; `*` is the highest UID', () => {
    assert.deepEqual(resolve('11:25', true), [{ start: 1, end: 4 }]);
    assert.deepEqual(resolve('100:*', true), [{ start: 4, end: 5 }]);
    assert.deepEqual(resolve('13:19', true), []);
  });
  it('`$` is the saved result (UIDs)', () => {
    assert.deepEqual(resolve('$', false, [12, 30, 99]), [{ start: 2, end: 3 }, { start: 4, end: 5 }]);
    assert.deepEqual(resolve('$', true, null), []);
  });
  it('runs convert to storage UID ranges and pages', () => {
    const runs = resolve('1:3,5', false);
    assert.deepEqual(runsToUidRanges(m, runs), [[10, 12], [30, 30]]);
    assert.deepEqual([...pages(runs, 3)], [[0, 1, 2], [4]]);
    assert.deepEqual(uidRangesOf([1, 2, 3, 7, 9, 10]), [[1, 3], [7, 7], [9, 10]]);
  });
  it('missing UIDs are written as ranges without enumerating them', () => {
    assert.equal(missingUids(m, [[1, 30]]), '1:9,13:19,21:29');
    assert.equal(missingUids(m, [[10, 12]]), '');
    assert.equal(missingUids(map(), [[1, 4294967295]]), '1:4294967295');
  });
});

describe('LIST patterns', () => {
  const cases: Array<[string, string, boolean]> = [
    ['*', 'a/b/c', true],
    ['%', 'a/b', false],
    ['%', 'a', true],
    ['a/%', 'a/b', true],
    ['a/%', 'a/b/c', false],
    ['a/*', 'a/b/c', true],
    ['inbox', 'INBOX', true],
    ['Inbox/%', 'INBOX/x', true],
    ['inboxes', 'INBOX', false],
    ['A*', 'a', false],
    ['*b', 'a/b', true],
    ['%b', 'a/b', false],
    ['a%c', 'abc', true],
    ['', '', true],
  ];
  for (const [pattern, name, expected] of cases) {
    it(`${JSON.stringify(pattern)} ${expected ? 'matches' : 'does not match'} ${JSON.stringify(name)}`, () => {
      assert.equal(compilePattern(pattern)(name), expected);
    });
  }
  it('a hostile pattern costs polynomial time, not exponential', () => {
    const started = Date.now();
    assert.equal(compilePattern('*a'.repeat(200) + 'b')('a'.repeat(1000)), false);
    assert.ok(Date.now() - started < 2000);
  });
  it('joins the reference as a hierarchy level', () => {
    assert.equal(joinReference('', '%'), '%');
    assert.equal(joinReference('Work', '%'), 'Work/%');
    assert.equal(joinReference('Work/', '%'), 'Work/%');
  });
  it('the tree adds missing parents and knows who has children', () => {
    const mb = (path: string, subscribed = true): Mailbox => ({
      id: path, userId: 'u', path, specialUse: null, uidValidity: 1, uidNext: 1, highestModseq: 1, subscribed, retention: 0, created: new Date(0),
    });
    const tree = new MailboxTree([mb('b/c/d'), mb('INBOX'), mb('a', false)]);
    assert.deepEqual(tree.entries.map((e) => [e.path, e.mailbox !== null, e.hasChildren]), [
      ['INBOX', true, false],
      ['a', true, false],
      ['b', false, true],
      ['b/c', false, true],
      ['b/c/d', true, false],
    ]);
    assert.deepEqual(tree.subscribedDescendants('b'), ['b/c/d']);
  });
});

describe('capabilities', () => {
  const config = { maxMessageSize: 1000 };
  it('before login over plaintext from a trusted peer: STARTTLS and AUTH=', () => {
    const caps = capabilities({ authenticated: false, secure: false, plaintextAllowed: true, config });
    assert.ok(caps.includes('STARTTLS') && caps.includes('AUTH=PLAIN') && caps.includes('AUTH=LOGIN'));
    assert.ok(!caps.includes('LOGINDISABLED'));
    assert.ok(caps.includes('APPENDLIMIT=1000'));
  });
  it('plaintext passwords refused: LOGINDISABLED and no AUTH= (RFC 3501 §6.2.3)', () => {
    const caps = capabilities({ authenticated: false, secure: false, plaintextAllowed: false, config });
    assert.ok(caps.includes('LOGINDISABLED') && caps.includes('STARTTLS'));
    assert.ok(!caps.some((c) => c.startsWith('AUTH=')));
  });
  it('after TLS no STARTTLS; after login neither STARTTLS nor AUTH=', () => {
    assert.ok(!capabilities({ authenticated: false, secure: true, plaintextAllowed: true, config }).includes('STARTTLS'));
    const after = capabilities({ authenticated: true, secure: false, plaintextAllowed: true, config });
    assert.ok(!after.includes('STARTTLS') && !after.some((c) => c.startsWith('AUTH=')) && after[0] === 'IMAP4rev1');
  });
  it('the plaintext policy: TLS, loopback or an explicit opt-in', () => {
    const strict = { allowInsecurePlaintext: false };
    assert.equal(plaintextAllowed(false, '192.0.2.7', strict), false);
    assert.equal(plaintextAllowed(true, '192.0.2.7', strict), true);
    assert.equal(plaintextAllowed(false, '::ffff:127.0.0.1', strict), true);
    assert.equal(plaintextAllowed(false, '192.0.2.7', { allowInsecurePlaintext: true }), true);
  });
});

describe('SASL PLAIN', () => {
  it('decodes authzid, authcid and password', () => {
    assert.deepEqual(decodePlain(Buffer.from('\0alice\0pw')), { authzid: '', authcid: 'alice', password: 'pw' });
    assert.deepEqual(decodePlain(Buffer.from('admin\0alice\0p\u00e9')), { authzid: 'admin', authcid: 'alice', password: 'p\u00e9' });
  });
  it('refuses malformed messages', () => {
    for (const bad of ['alice', '\0alice', '\0\0pw', 'a\0b\0c\0d']) assert.equal(decodePlain(Buffer.from(bad)), null, JSON.stringify(bad));
    assert.equal(decodePlain(Buffer.from([0, 0x61, 0, 0xff])), null);
  });
});
