import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parse as parseToml } from 'smol-toml';
import { ConfigError, loadConfig, packageRoot } from '../../src/config/load.js';
import { configSchema, sections } from '../../src/config/schema.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir();
after(() => dir.cleanup());

function writeToml(name: string, text: string): string {
  const file = join(dir.path, name);
  writeFileSync(file, text);
  return file;
}

describe('config defaults', () => {
  it('has the documented defaults with no file and no env', () => {
    const c = loadConfig({ env: {}, defaultFile: null });
    assert.equal(c.imap.host, '127.0.0.1');
    assert.equal(c.imap.port, 1143);
    assert.equal(c.pop3.port, 1110);
    assert.equal(c.lmtp.port, 2424);
    assert.equal(c.api.port, 8080);
    assert.equal(c.storage.dataDir, './data');
    assert.equal(c.redis.url, '');
  });

  it('config/default.toml lists every key with its schema default, each documented by a comment', () => {
    const file = join(packageRoot(), 'config', 'default.toml');
    const text = readFileSync(file, 'utf8');
    const doc = parseToml(text) as Record<string, Record<string, unknown>>;
    const defaults = configSchema.parse({}) as Record<string, Record<string, unknown>>;
    assert.deepEqual(Object.keys(doc).sort(), Object.keys(sections).sort());
    for (const [section, values] of Object.entries(defaults)) {
      assert.deepEqual(Object.keys(doc[section]!).sort(), Object.keys(values).sort(), `keys of [${section}]`);
      for (const [key, value] of Object.entries(values)) assert.deepEqual(doc[section]![key], value, `${section}.${key}`);
    }
    // Every key line is preceded by a comment line or another key of the same documented group.
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!/^[a-zA-Z]+ = /.test(lines[i]!)) continue;
      let j = i - 1;
      while (j >= 0 && /^[a-zA-Z]+ = /.test(lines[j]!)) j--;
      const prev = lines[j] ?? '';
      const key = lines[i]!.split(' ')[0];
      const documented = prev.startsWith('#') || (prev.startsWith('[') && ['enabled', 'host', 'port'].includes(key!));
      assert.ok(documented, `line ${i + 1} (${key}) has no comment`);
    }
  });
});

describe('config sources', () => {
  it('a --config file overrides the defaults, env overrides the file', () => {
    const file = writeToml('a.toml', '[imap]\nport = 2000\nhost = "0.0.0.0"\n');
    const c = loadConfig({ file, env: { EIDER_IMAP_PORT: '3000' }, defaultFile: null });
    assert.equal(c.imap.port, 3000);
    assert.equal(c.imap.host, '0.0.0.0');
  });

  it('env keys match ignoring case and underscores, with typed coercion', () => {
    const c = loadConfig({
      defaultFile: null,
      env: {
        EIDER_STORAGE_DATADIR: '/var/lib/eider',
        EIDER_REDIS_URL: 'redis://127.0.0.1:6379',
        EIDER_IMAP_MAX_CONNECTIONS_PER_USER: '7',
        EIDER_AUTH_ALLOWINSECUREPLAINTEXT: 'yes',
        EIDER_API_ACCESSTOKEN: '12345',
        PATH: '/usr/bin',
      },
    });
    assert.equal(c.storage.dataDir, '/var/lib/eider');
    assert.equal(c.redis.url, 'redis://127.0.0.1:6379');
    assert.equal(c.imap.maxConnectionsPerUser, 7);
    assert.equal(c.auth.allowInsecurePlaintext, true);
    assert.equal(c.api.accessToken, '12345', 'a numeric-looking string stays a string');
  });

  it('the shipped default.toml loads', () => {
    const c = loadConfig({ env: {} });
    assert.equal(c.imap.port, 1143);
  });
});

describe('config errors', () => {
  const cases: Array<{ name: string; file?: string; env?: Record<string, string>; match: RegExp }> = [
    { name: 'unknown key in file', file: '[imap]\nprot = 1\n', match: /b\.toml: unknown key imap\.prot/ },
    { name: 'unknown section in file', file: '[imapp]\nport = 1\n', match: /unknown section \[imapp\]/ },
    { name: 'bad value type in file', file: '[imap]\nport = "x"\n', match: /b\.toml: imap\.port:/ },
    { name: 'out of range in file', file: '[imap]\nport = 70000\n', match: /imap\.port/ },
    { name: 'bad enum', file: '[log]\nlevel = "loud"\n', match: /log\.level/ },
    { name: 'TOML syntax error', file: '[imap\nport = 1\n', match: /b\.toml:/ },
    { name: 'RFC minimum idle timeout', file: '[imap]\nidleTimeout = 60\n', match: /imap\.idleTimeout/ },
    { name: 'unknown env key', env: { EIDER_IMAP_PROT: '1' }, match: /env EIDER_IMAP_PROT: unknown key/ },
    { name: 'unknown env section', env: { EIDER_NOPE_X: '1' }, match: /env EIDER_NOPE_X: unknown section/ },
    { name: 'bad env number', env: { EIDER_IMAP_PORT: 'abc' }, match: /env EIDER_IMAP_PORT: expected a number/ },
    { name: 'bad env boolean', env: { EIDER_IMAP_ENABLED: 'maybe' }, match: /EIDER_IMAP_ENABLED: expected true or false/ },
    { name: 'env value out of range names the env var', env: { EIDER_IMAP_PORT: '99999' }, match: /env EIDER_IMAP_PORT: imap\.port/ },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const file = c.file === undefined ? undefined : writeToml('b.toml', c.file);
      assert.throws(
        () => loadConfig({ file, env: c.env ?? {}, defaultFile: null }),
        (err: unknown) => err instanceof ConfigError && c.match.test(err.message),
      );
    });
  }
});
