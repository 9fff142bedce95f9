import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { aspAllows, generateAppPassword, normalizeAppPassword } from '../../src/security/app-passwords.js';
import { deriveKey, lookupKey, Sealer } from '../../src/security/keys.js';
import { base32Decode, base32Encode, hotp, otpauthUri, timeStep, totp, verifyTotp } from '../../src/security/totp.js';

// RFC 6238 Appendix B: T0 = 0, X = 30, 8 digits; each algorithm has its own seed length.
const SEEDS = {
  sha1: Buffer.from('12345678901234567890'),
  sha256: Buffer.from('12345678901234567890123456789012'),
  sha512: Buffer.from('1234567890123456789012345678901234567890123456789012345678901234'),
};
const VECTORS: Array<[number, string, string, string]> = [
  [59, '94287082', '46119246', '90693936'],
  [1111111109, '07081804', '68084774', '25091201'],
  [1111111111, '14050471', '67062674', '99943326'],
  [1234567890, '89005924', '91819424', '93441116'],
  [2000000000, '69279037', '90698825', '38618901'],
  [20000000000, '65353130', '77737706', '47863826'],
];

describe('TOTP (RFC 6238)', () => {
  it('matches the Appendix B test vectors for SHA-1, SHA-256 and SHA-512', () => {
    for (const [t, sha1, sha256, sha512] of VECTORS) {
      assert.equal(totp(SEEDS.sha1, t * 1000, { digits: 8 }), sha1, `sha1 @${t}`);
      assert.equal(totp(SEEDS.sha256, t * 1000, { digits: 8, algorithm: 'sha256' }), sha256, `sha256 @${t}`);
      assert.equal(totp(SEEDS.sha512, t * 1000, { digits: 8, algorithm: 'sha512' }), sha512, `sha512 @${t}`);
      // Six digits are the same truncation modulo 10^6.
      assert.equal(totp(SEEDS.sha1, t * 1000), sha1.slice(2), `sha1 6 digits @${t}`);
    }
  });

  it('matches RFC 4226 Appendix D HOTP values', () => {
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
    expected.forEach((code, counter) => assert.equal(hotp(SEEDS.sha1, counter), code));
  });

  it('agrees with oathtool for random seeds and times', (t) => {
    if (spawnSync('oathtool', ['--version'], { stdio: 'ignore' }).status !== 0) {
      const reason = 'oathtool not found on PATH: TOTP cross-check skipped (apt-get install oathtool)';
      process.emitWarning(reason);
      t.skip(reason);
      return;
    }
    for (let i = 0; i < 20; i++) {
      const seed = randomBytes(20);
      const when = Math.floor(Math.random() * 4e9);
      const out = spawnSync('oathtool', ['--totp', '-b', '-d', '6', `--now=@${when}`, base32Encode(seed)], { encoding: 'utf8' });
      assert.equal(out.status, 0, out.stderr);
      assert.equal(out.stdout.trim(), totp(seed, when * 1000), `seed ${seed.toString('hex')} @${when}`);
    }
  });

  it('accepts a window of one step either side and reports the matching step', () => {
    const key = randomBytes(20);
    const now = 1_700_000_015_000;
    const step = timeStep(now);
    assert.equal(verifyTotp(key, hotp(key, step), now), step);
    assert.equal(verifyTotp(key, hotp(key, step - 1), now), step - 1);
    assert.equal(verifyTotp(key, hotp(key, step + 1), now), step + 1);
    assert.equal(verifyTotp(key, hotp(key, step + 2), now), null);
    assert.equal(verifyTotp(key, hotp(key, step - 2), now), null);
    for (const bad of ['', '12345', '1234567', 'abcdef', '12 34 5x', '-12345']) assert.equal(verifyTotp(key, bad, now), null, bad);
    assert.equal(verifyTotp(key, ` ${hotp(key, step).slice(0, 3)} ${hotp(key, step).slice(3)} `, now), step, 'spaces ignored');
  });

  it('encodes base32 per RFC 4648 §10 and decodes leniently', () => {
    const cases: Array<[string, string]> = [
      ['', ''],
      ['f', 'MY'],
      ['fo', 'MZXQ'],
      ['foo', 'MZXW6'],
      ['foob', 'MZXW6YQ'],
      ['fooba', 'MZXW6YTB'],
      ['foobar', 'MZXW6YTBOI'],
    ];
    for (const [plain, encoded] of cases) {
      assert.equal(base32Encode(Buffer.from(plain)), encoded);
      assert.equal(base32Decode(encoded.toLowerCase() + '====').toString(), plain);
    }
    assert.throws(() => base32Decode('MZ1W'), /invalid base32/);
  });

  it('builds Key Uri Format otpauth URIs', () => {
    const uri = new URL(otpauthUri('JBSWY3DPEHPK3PXP', 'Eider Mail', 'alice@example.com'));
    assert.equal(uri.protocol, 'otpauth:');
    assert.equal(uri.host, 'totp');
    assert.equal(decodeURIComponent(uri.pathname), '/Eider Mail:alice@example.com');
    assert.equal(uri.searchParams.get('secret'), 'JBSWY3DPEHPK3PXP');
    assert.equal(uri.searchParams.get('issuer'), 'Eider Mail');
    assert.equal(uri.searchParams.get('digits'), '6');
  });
});

describe('security keys and app passwords', () => {
  it('seals and opens secrets; tampering or another key fails', () => {
    const secret = randomBytes(32);
    const sealer = new Sealer(secret, 'totp-seed');
    const plain = randomBytes(20);
    const sealed = sealer.seal(plain);
    assert.match(sealed, /^v1\.[A-Za-z0-9_-]+$/);
    assert.notEqual(sealer.seal(plain), sealed, 'random IV');
    assert.deepEqual(sealer.open(sealed), plain);
    assert.throws(() => new Sealer(randomBytes(32), 'totp-seed').open(sealed));
    assert.throws(() => new Sealer(secret, 'other-purpose').open(sealed));
    const raw = Buffer.from(sealed.slice(3), 'base64url');
    raw[raw.length - 1]! ^= 1;
    assert.throws(() => sealer.open(`v1.${raw.toString('base64url')}`));
    assert.throws(() => sealer.open('v2.abc'));
  });

  it('derives distinct keys per purpose and short keyed lookups', () => {
    const secret = randomBytes(32);
    assert.notDeepEqual(deriveKey(secret, 'a'), deriveKey(secret, 'b'));
    const k = deriveKey(secret, 'asp-lookup');
    assert.match(lookupKey(k, 'abcdefghijklmnop'), /^[0-9a-f]{16}$/);
    assert.notEqual(lookupKey(k, 'abcdefghijklmnop'), lookupKey(deriveKey(randomBytes(32), 'asp-lookup'), 'abcdefghijklmnop'));
  });

  it('generates 16 lowercase letters and normalises typed forms', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const p = generateAppPassword();
      assert.match(p, /^[a-z]{16}$/);
      seen.add(p);
    }
    assert.equal(seen.size, 200);
    assert.equal(normalizeAppPassword('ABCD efgh IJKL mnop'), 'abcdefghijklmnop');
    assert.equal(normalizeAppPassword(' abcd\tefgh\nijkl mnop '), 'abcdefghijklmnop');
    for (const bad of ['abcdefghijklmno', 'abcdefghijklmnopq', 'abcdefghijklmn0p', 'äbcdefghijklmnop', '']) assert.equal(normalizeAppPassword(bad), null, bad);
  });

  it('never allows the master scope; * allows the others', () => {
    assert.equal(aspAllows(['*'], 'master'), false);
    assert.equal(aspAllows(['*'], 'imap'), true);
    assert.equal(aspAllows(['imap'], 'pop3'), false);
    assert.equal(aspAllows(['imap', 'pop3'], 'pop3'), true);
  });
});
