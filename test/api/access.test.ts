import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startTestApp } from '../helpers/app.js';
import { ApiClient, startApi, type ApiHarness } from './helpers.js';

describe('api: access token', () => {
  let h: ApiHarness;
  before(async () => {
    h = await startApi({ api: { accessToken: 'tok-3f9a', maxBodySize: 2048 } });
  });
  after(async () => h.stop());

  it('accepts the token as X-Access-Token, Authorization: Bearer or ?accessToken=', async () => {
    const anon = new ApiClient(h.api.base);
    assert.equal((await anon.get('/users', { headers: { 'X-Access-Token': 'tok-3f9a' } })).status, 200);
    assert.equal((await anon.get('/users', { headers: { authorization: 'Bearer tok-3f9a' } })).status, 200);
    const q = await anon.get('/users', { query: { accessToken: 'tok-3f9a', limit: 5 } });
    assert.equal(q.status, 200, 'accessToken is not a query argument of the route');
  });

  it('refuses a missing token with 401 and a wrong one with 403', async () => {
    const anon = new ApiClient(h.api.base);
    const none = await anon.get('/users');
    assert.equal(none.status, 401);
    assert.equal(none.json.code, 'AccessTokenRequired');
    assert.equal(none.headers.get('www-authenticate'), 'Bearer');
    const wrong: Array<Record<string, string>> = [{ 'x-access-token': 'tok-3f9b' }, { 'x-access-token': 'TOK-3F9A' }, { authorization: 'Bearer tok' }, { 'x-access-token': 'x'.repeat(5000) }];
    for (const headers of wrong) {
      const r = await anon.get('/users', { headers });
      assert.equal(r.status, 403, JSON.stringify(headers).slice(0, 60));
      assert.equal(r.json.code, 'InvalidToken');
    }
    assert.equal((await anon.get('/users', { query: { accessToken: 'wrong' } })).status, 403);
    assert.equal((await anon.post('/users', { username: 'sneaky', password: 'x' })).status, 401, 'nothing runs without the token');
  });

  it('serves /health and /openapi.json without a token', async () => {
    const anon = new ApiClient(h.api.base);
    const health = await anon.get('/health');
    assert.equal(health.status, 200);
    assert.deepEqual(health.json, { success: true, storage: 'ok', redis: 'disabled' });
    assert.equal((await anon.get('/openapi.json')).status, 200);
    const head = await anon.request('HEAD', '/health');
    assert.equal(head.status, 200);
    assert.equal(head.text, '');
  });

  it('answers unknown routes, wrong methods and broken bodies with JSON errors', async () => {
    const notFound = await h.api.get('/no/such/route');
    assert.deepEqual([notFound.status, notFound.json.code], [404, 'ResourceNotFound']);
    const method = await h.api.request('PATCH', '/users');
    assert.deepEqual([method.status, method.json.code], [405, 'MethodNotAllowed']);
    assert.match(method.headers.get('allow')!, /GET/);
    const badJson = await h.api.request('POST', '/users', { body: '{"username": ', headers: { 'content-type': 'application/json' } });
    assert.deepEqual([badJson.status, badJson.json.code], [400, 'InputValidationError']);
    const badUtf8 = await h.api.request('POST', '/users', { raw: { data: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), type: 'application/json' } });
    assert.equal(badUtf8.status, 400);
    const xml = await h.api.request('POST', '/users', { raw: { data: '<user/>', type: 'application/xml' } });
    assert.deepEqual([xml.status, xml.json.code], [415, 'UnsupportedMediaType']);
    const big = await h.api.post('/users', { username: 'big', password: 'x'.repeat(4000) });
    assert.deepEqual([big.status, big.json.code], [413, 'PayloadTooLarge']);
    const pct = await h.api.get('/users/%E0%A4%A/addresses');
    assert.equal(pct.status, 400);
    const array = await h.api.post('/users', [1, 2, 3]);
    assert.equal(array.status, 400);
  });

  it('refuses an oversized chunked body while it streams in', async () => {
    const port = Number(new URL(h.api.base).port);
    const reply = await new Promise<string>((resolve, reject) => {
      const s = connect(port, '127.0.0.1');
      let data = '';
      s.on('data', (d) => (data += d.toString()));
      s.on('close', () => resolve(data));
      s.on('error', reject);
      s.write('POST /users HTTP/1.1\r\nHost: x\r\nX-Access-Token: tok-3f9a\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n');
      const chunk = 'a'.repeat(1000);
      for (let i = 0; i < 5; i++) s.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
      s.write('0\r\n\r\n');
    });
    assert.match(reply, /^HTTP\/1\.1 413/);
  });
});

describe('api: binding', () => {
  it('refuses to start on a non-loopback address without a token', async () => {
    await assert.rejects(startTestApp(['api'], { api: { host: '0.0.0.0' } }), /api\.accessToken must be set/);
  });

  it('starts on a non-loopback address with a token', async () => {
    const t = await startTestApp(['api'], { api: { host: '0.0.0.0', accessToken: 'secret-token' } });
    try {
      const api = new ApiClient(`http://127.0.0.1:${t.port('api')}`, 'secret-token');
      assert.equal((await api.get('/users')).status, 200);
    } finally {
      await t.stop();
    }
  });
});

describe('api: health', () => {
  it('reports an unreachable Redis with 500 and success false', async () => {
    const { freePort } = await import('../helpers/redis.js');
    const port = await freePort();
    const t = await startTestApp(['api'], { redis: { url: `redis://127.0.0.1:${port}` } });
    try {
      const api = new ApiClient(`http://127.0.0.1:${t.port('api')}`);
      const r = await api.get('/health');
      assert.equal(r.status, 500);
      assert.deepEqual([r.json.success, r.json.storage, r.json.redis], [false, 'ok', 'down']);
      assert.match(String(r.json.message), /Redis is down/);
    } finally {
      await t.stop();
    }
  });
});
