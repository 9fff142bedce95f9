import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { srsForward, srsReverse, type SrsConfig } from '../../src/filters/srs.js';

const config: SrsConfig = { domain: 'fwd.example', secret: 'test secret', maxAgeDays: 21 };
const DAY = 24 * 60 * 60 * 1000;
const now = Date.UTC(2026, 11, 1, 12);

describe('SRS rewriting', () => {
  it('rewrites a plain sender into SRS0 in our domain and reverses it', () => {
    const srs = srsForward('alice@example.org', config, now);
    assert.match(srs, /^SRS0=[A-Za-z0-9+/]{4}=[A-Z2-7]{2}=example\.org=alice@fwd\.example$/);
    assert.deepEqual(srsReverse(srs, config, now), { status: 'ok', address: 'alice@example.org' });
  });

  it('leaves the null sender and senders already in our domain alone', () => {
    assert.equal(srsForward('', config, now), '');
    assert.equal(srsForward('bob@FWD.example', config, now), 'bob@FWD.example');
  });

  it('re-forwards another forwarder\'s SRS0 address as SRS1, and back to that address', () => {
    const theirs = srsForward('alice@example.org', { ...config, domain: 'hop1.example', secret: 'their secret' }, now);
    const ours = srsForward(theirs, config, now);
    assert.match(ours, /^SRS1=[A-Za-z0-9+/]{4}=hop1\.example==[^@]+@fwd\.example$/);
    assert.deepEqual(srsReverse(ours, config, now), { status: 'ok', address: theirs });
    // A third hop keeps the first forwarder.
    const again = srsForward(ours.replace('@fwd.example', '@hop2.example'), config, now);
    assert.match(again, /^SRS1=[A-Za-z0-9+/]{4}=hop1\.example==/);
    assert.deepEqual(srsReverse(again, config, now), { status: 'ok', address: theirs });
  });

  it('accepts case-folded addresses', () => {
    const srs = srsForward('Alice@Example.org', config, now);
    assert.deepEqual(srsReverse(srs.toLowerCase(), config, now), { status: 'ok', address: 'alice@example.org' });
  });

  it('refuses forged, altered, expired and malformed addresses', () => {
    const srs = srsForward('alice@example.org', config, now);
    const table: Array<[string, string, number]> = [
      [srs.replace('=alice@', '=mallory@'), 'hash', now],
      [srs.replace('=example.org=', '=evil.example='), 'hash', now],
      [srsForward('alice@example.org', { ...config, secret: 'other' }, now), 'hash', now],
      [srs, 'expired', now + 22 * DAY],
      ['SRS0=abcd@fwd.example', 'syntax', now],
      ['SRS1=abcd@fwd.example', 'syntax', now],
    ];
    for (const [address, reason, at] of table) assert.deepEqual(srsReverse(address, config, at), { status: 'invalid', reason }, address);
    assert.deepEqual(srsReverse(srs, config, now + 20 * DAY), { status: 'ok', address: 'alice@example.org' }, 'within the age limit');
  });

  it('says not-srs for other addresses', () => {
    assert.deepEqual(srsReverse('alice@fwd.example', config, now), { status: 'not-srs' });
    assert.deepEqual(srsReverse(srsForward('alice@example.org', config, now).replace('fwd.example', 'other.example'), config, now), { status: 'not-srs' });
  });
});
