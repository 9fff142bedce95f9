/** CORS for browser front ends, checked with curl: preflights without the token, listed origins only. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { startApi, type ApiHarness } from './helpers.js';

interface CurlResponse {
  status: number;
  headers: Map<string, string>;
}

function curl(args: string[]): Promise<CurlResponse> {
  return new Promise((resolve, reject) => {
    execFile('curl', ['-s', '-o', '/dev/null', '-D', '-', ...args], (err, stdout) => {
      if (err) return reject(err);
      const lines = stdout.split(/\r?\n/);
      const status = Number(/^HTTP\/\S+ (\d+)/.exec(lines[0] ?? '')?.[1]);
      const headers = new Map<string, string>();
      for (const line of lines.slice(1)) {
        const i = line.indexOf(':');
        if (i > 0) headers.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
      }
      resolve({ status, headers });
    });
  });
}

describe('api: CORS', () => {
  let h: ApiHarness;
  let base: string;
  before(async () => {
    h = await startApi({ api: { accessToken: 'tok-cors', corsOrigins: ['https://webmail.example.com'] } });
    base = `http://127.0.0.1:${h.t.port('api')}`;
  });
  after(async () => h.stop());

  it('answers a preflight from a listed origin without the token', async () => {
    const r = await curl(['-X', 'OPTIONS', '-H', 'Origin: https://webmail.example.com', '-H', 'Access-Control-Request-Method: PUT', '-H', 'Access-Control-Request-Headers: x-access-token, content-type', `${base}/users`]);
    assert.equal(r.status, 204);
    assert.equal(r.headers.get('access-control-allow-origin'), 'https://webmail.example.com');
    assert.match(r.headers.get('access-control-allow-methods') ?? '', /PUT/);
    assert.match(r.headers.get('access-control-allow-headers') ?? '', /X-Access-Token/);
    assert.match(r.headers.get('vary') ?? '', /Origin/);
  });

  it('marks real responses for the listed origin, and still wants the token', async () => {
    const ok = await curl(['-H', 'Origin: https://webmail.example.com', '-H', 'X-Access-Token: tok-cors', `${base}/users`]);
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('access-control-allow-origin'), 'https://webmail.example.com');
    const anon = await curl(['-H', 'Origin: https://webmail.example.com', `${base}/users`]);
    assert.equal(anon.status, 401, 'CORS does not replace the access token');
  });

  it('gives other origins no CORS headers, so browsers refuse them', async () => {
    const pre = await curl(['-X', 'OPTIONS', '-H', 'Origin: https://evil.example.net', '-H', 'Access-Control-Request-Method: DELETE', `${base}/users`]);
    assert.equal(pre.headers.get('access-control-allow-origin'), undefined);
    const get = await curl(['-H', 'Origin: https://evil.example.net', '-H', 'X-Access-Token: tok-cors', `${base}/users`]);
    assert.equal(get.status, 200);
    assert.equal(get.headers.get('access-control-allow-origin'), undefined);
  });
});

describe('api: CORS off by default', () => {
  let h: ApiHarness;
  before(async () => {
    h = await startApi({});
  });
  after(async () => h.stop());

  it('sends no CORS headers when no origin is configured', async () => {
    const r = await curl(['-H', 'Origin: https://webmail.example.com', `http://127.0.0.1:${h.t.port('api')}/health`]);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('access-control-allow-origin'), undefined);
  });
});
