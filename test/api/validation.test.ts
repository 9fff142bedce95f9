/**
 * Bad input, route by route: a table of wrong types, missing fields,
 * oversized values, unknown ids and injection-looking strings, each with the
 * status and the field the error must name; then every documented route is
 * fed hostile values and must never answer 5xx.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { textMessage } from '../helpers/messages.js';
import { NO_USER, startApi, type ApiHarness, type RequestOptions } from './helpers.js';

type Case = [method: string, path: string, options: RequestOptions, status: number, field?: string];

const INJECTION = ["'; DROP TABLE users; --", '" OR 1=1 --', '<script>alert(1)</script>', '../../../etc/passwd', '${jndi:ldap://x}', '%00', '\u202e\u0000'];

describe('api: input validation', () => {
  let h: ApiHarness;
  let u: string;
  let box: string;
  let msg: number;
  let filter: string;
  let address: string;
  const ids: Record<string, string> = {};
  before(async () => {
    h = await startApi({ api: { maxBodySize: 65536 } });
    u = await h.createUser('validator', { address: 'validator@example.com' });
    box = String((await h.api.ok('GET', `/users/${u}/mailboxes`)).results![0]!.id);
    msg = ((await h.api.ok('POST', `/users/${u}/mailboxes/${box}/messages`, { raw: { data: textMessage(), type: 'message/rfc822' } })).message as { id: number }).id;
    filter = String((await h.api.ok('POST', `/users/${u}/filters`, { body: { query: { from: 'x' } } })).id);
    address = String((await h.api.ok('POST', `/users/${u}/addresses`, { body: { address: 'alias-v@example.com' } })).id);
    ids.asp = String((await h.api.ok('POST', `/users/${u}/asps`, { body: { description: 'x' } })).id);
  });
  after(async () => h.stop());

  it('answers 400 naming the field, 404 for unknown ids', async () => {
    const U = () => `/users/${u}`;
    const B = () => `/users/${u}/mailboxes/${box}`;
    const cases: Case[] = [
      // users
      ['POST', '/users', { body: {} }, 400, 'username'],
      ['POST', '/users', { body: { username: 'x' } }, 400, 'password'],
      ['POST', '/users', { body: { username: 12, password: 'x' } }, 400, 'username'],
      ['POST', '/users', { body: { username: 'x', password: true } }, 400, 'password'],
      ['POST', '/users', { body: { username: 'bad name', password: 'x' } }, 400, 'username'],
      ['POST', '/users', { body: { username: INJECTION[0], password: 'x' } }, 400, 'username'],
      ['POST', '/users', { body: { username: 'a'.repeat(129), password: 'x' } }, 400, 'username'],
      ['POST', '/users', { body: { username: 'okuser', password: 'x'.repeat(257) } }, 400, 'password'],
      ['POST', '/users', { body: { username: 'okuser', password: 'x', quota: -1 } }, 400, 'quota'],
      ['POST', '/users', { body: { username: 'okuser', password: 'x', quota: '12abc' } }, 400, 'quota'],
      ['POST', '/users', { body: { username: 'okuser', password: 'x', quota: 1.5 } }, 400, 'quota'],
      ['POST', '/users', { body: { username: 'okuser', password: 'x', tags: 'a'.repeat(200) } }, 400, 'tags.0'],
      ['POST', '/users', { body: { username: 'okuser', password: 'x', tags: [{ $gt: '' }] } }, 400, 'tags'],
      ['POST', '/users', { body: { username: 'okuser', password: 'x', targets: ['not a target'] } }, 400, 'targets.0'],
      ['POST', '/users', { body: { username: 'okuser', password: 'x', disabledScopes: ['root'] } }, 400, 'disabledScopes.0'],
      ['POST', '/users', { body: { username: 'okuser', password: 'x', pubKey: 'not a key' } }, 400, 'pubKey'],
      ['POST', '/users', { body: { username: 'okuser', password: 'x', pubKey: '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\ngarbage\n-----END PGP PUBLIC KEY BLOCK-----' } }, 400, 'pubKey'],
      ['POST', '/users', { body: { username: 'okuser', password: 'x', metaData: '[1,2]' } }, 400, 'metaData'],
      ['POST', '/users', { body: { username: 'okuser', password: 'x', address: 'nope' } }, 400, 'address'],
      ['POST', '/users', { body: { username: 'okuser', password: 'x', hashedPassword: true } }, 400, 'password'],
      ['POST', '/users', { body: { username: 'okuser', password: 'x', ip: 'not-an-ip' } }, 400, 'ip'],
      ['POST', '/users', { body: { username: 'okuser', password: 'x', encryptMessages: 'maybe' } }, 400, 'encryptMessages'],
      ['GET', '/users', { query: { limit: 0 } }, 400, 'limit'],
      ['GET', '/users', { query: { limit: 251 } }, 400, 'limit'],
      ['GET', '/users', { query: { limit: 'ten' } }, 400, 'limit'],
      ['GET', '/users', { query: { next: 'not/a cursor' } }, 400, 'next'],
      ['GET', '/users', { query: { next: 'bm90LWEtY3Vyc29y' } }, 400, 'next'],
      ['GET', '/users', { query: { previous: 'WzEsMiwzXQ' } }, 400, 'previous'],
      ['GET', '/users', { query: { query: 'q'.repeat(200) } }, 400, 'query'],
      ['GET', '/users/abc', {}, 400, 'user'],
      ['GET', `/users/${'g'.repeat(24)}`, {}, 400, 'user'],
      ['GET', `/users/${encodeURIComponent(INJECTION[0]!)}`, {}, 400, 'user'],
      ['GET', `/users/${NO_USER}`, {}, 404],
      ['PUT', U(), { body: { name: 7 } }, 400, 'name'],
      ['PUT', U(), { body: { password: 123 } }, 400, 'password'],
      ['PUT', U(), { body: { existingPassword: '' } }, 400, 'existingPassword'],
      ['PUT', U(), { body: { spamLevel: 101 } }, 400, 'spamLevel'],
      ['PUT', `${U()}/logout`, { body: { reason: 'r'.repeat(200) } }, 400, 'reason'],
      ['POST', `${U()}/password/reset`, { body: { validAfter: 'yesterday-ish' } }, 400, 'validAfter'],
      // authentication
      ['POST', '/authenticate', { body: { username: 'validator' } }, 400, 'password'],
      ['POST', '/authenticate', { body: { password: 'x' } }, 400, 'username'],
      ['POST', '/authenticate', { body: { username: 'validator', password: 'x', scope: 'everything' } }, 400, 'scope'],
      ['POST', '/authenticate', { body: { username: INJECTION[1], password: INJECTION[0] } }, 403],
      ['GET', `${U()}/authlog`, { query: { ip: '999.1.1.1' } }, 400, 'ip'],
      ['GET', `${U()}/authlog/nope`, {}, 400, 'event'],
      // 2FA
      ['POST', `${U()}/2fa/totp/enable`, { body: {} }, 400, 'token'],
      ['POST', `${U()}/2fa/totp/enable`, { body: { token: '12345' } }, 400, 'token'],
      ['POST', `${U()}/2fa/totp/check`, { body: { token: 'abcdef' } }, 400, 'token'],
      ['POST', `${U()}/2fa/totp/check`, { body: { token: ['123456'] } }, 400, 'token'],
      ['POST', `${U()}/2fa/totp/setup`, { body: { issuer: 'i'.repeat(300) } }, 400, 'issuer'],
      ['POST', `/users/${NO_USER}/2fa/totp/setup`, { body: {} }, 404],
      // app passwords
      ['POST', `${U()}/asps`, { body: {} }, 400, 'description'],
      ['POST', `${U()}/asps`, { body: { description: 'x', scopes: ['master'] } }, 400, 'scopes.0'],
      ['POST', `${U()}/asps`, { body: { description: 'x', scopes: 'imap,root' } }, 400, 'scopes.1'],
      ['POST', `${U()}/asps`, { body: { description: 'x', expires: 'never' } }, 400, 'expires'],
      ['DELETE', `${U()}/asps/123`, {}, 400, 'asp'],
      ['DELETE', `${U()}/asps/${NO_USER}`, {}, 404],
      // addresses
      ['POST', `${U()}/addresses`, { body: {} }, 400, 'address'],
      ['POST', `${U()}/addresses`, { body: { address: ['a@b.c'] } }, 400, 'address'],
      ['POST', `${U()}/addresses`, { body: { address: `${'a'.repeat(320)}@x.y` } }, 400, 'address'],
      ['POST', `${U()}/addresses`, { body: { address: 'a@b.c', main: 'perhaps' } }, 400, 'main'],
      ['PUT', `${U()}/addresses/${address}`, { body: { address: INJECTION[2] } }, 400, 'address'],
      ['GET', '/addresses', { query: { limit: -5 } }, 400, 'limit'],
      // mailboxes
      ['POST', `${U()}/mailboxes`, { body: {} }, 400, 'path'],
      ['POST', `${U()}/mailboxes`, { body: { path: 42 } }, 400, 'path'],
      ['POST', `${U()}/mailboxes`, { body: { path: 'ok', retention: -1 } }, 400, 'retention'],
      ['PUT', B(), { body: { subscribed: 'sometimes' } }, 400, 'subscribed'],
      ['GET', `${U()}/mailboxes/not-an-id`, {}, 400, 'mailbox'],
      ['GET', `${U()}/mailboxes/${NO_USER}`, {}, 404],
      // messages
      ['GET', `${B()}/messages`, { query: { order: 'sideways' } }, 400, 'order'],
      ['GET', `${B()}/messages/0`, {}, 400, 'message'],
      ['GET', `${B()}/messages/abc`, {}, 400, 'message'],
      ['GET', `${B()}/messages/99999999999`, {}, 400, 'message'],
      ['GET', `${B()}/messages/${msg}/attachments/FILE1`, {}, 400, 'attachment'],
      ['PUT', `${B()}/messages/1;DROP`, { body: { seen: true } }, 400, 'message'],
      ['PUT', `${B()}/messages/1:2:3`, { body: { seen: true } }, 400, 'message'],
      ['PUT', `${B()}/messages/${msg}`, { body: { seen: 'yes please' } }, 400, 'seen'],
      ['PUT', `${B()}/messages/${msg}`, { body: { expires: 'soonish' } }, 400, 'expires'],
      ['PUT', `${B()}/messages/${msg}`, { body: { moveTo: 'elsewhere' } }, 400, 'moveTo'],
      ['POST', `${B()}/messages`, { body: { to: [{ address: 'not an address' }], text: 'x' } }, 400, 'to.0.address'],
      ['POST', `${B()}/messages`, { body: { headers: [{ key: 'Bad Key:', value: 'x' }], text: 'x' } }, 400, 'headers.0.key'],
      ['POST', `${B()}/messages`, { body: { attachments: [{ encoding: 'rot13', content: 'x' }], text: 'x' } }, 400, 'attachments.0.encoding'],
      ['POST', `${B()}/messages`, { body: { raw: 12345 } }, 400, 'raw'],
      ['GET', `${U()}/search`, { query: { datestart: 'the other day' } }, 400, 'datestart'],
      ['GET', `${U()}/search`, { query: { minSize: 'big' } }, 400, 'minSize'],
      ['GET', `${U()}/search`, { query: { query: INJECTION[0] } }, 200],
      ['GET', `${U()}/search`, { query: { query: '"*" OR NEAR(a b)' } }, 200],
      ['GET', `${U()}/search`, { query: { mailbox: 'x' } }, 400, 'mailbox'],
      // filters
      ['POST', `${U()}/filters`, { body: { query: { size: 'huge' } } }, 400, 'query.size'],
      ['POST', `${U()}/filters`, { body: { query: { from: 'x' }, action: { mailbox: 'inbox' } } }, 400, 'action.mailbox'],
      ['POST', `${U()}/filters`, { body: { query_ha: 'sometimes' } }, 400, 'query_ha'],
      ['PUT', `${U()}/filters/${filter}`, { body: { name: 'n'.repeat(300) } }, 400, 'name'],
      ['GET', `${U()}/filters/${NO_USER}`, {}, 404],
      // autoreply
      ['PUT', `${U()}/autoreply`, { body: { status: 'on-ish' } }, 400, 'status'],
      ['PUT', `${U()}/autoreply`, { body: { start: 'tomorrow' } }, 400, 'start'],
      ['PUT', `${U()}/autoreply`, { body: { subject: 's'.repeat(200) } }, 400, 'subject'],
      // archive
      ['POST', `${U()}/archived/messages/123/restore`, { body: {} }, 400, 'message'],
      ['POST', `${U()}/archived/messages/${NO_USER}/restore`, { body: {} }, 404],
      ['GET', `${U()}/archived/messages`, { query: { limit: 'all' } }, 400, 'limit'],
    ];
    for (const [method, path, options, status, fieldName] of cases) {
      const r = await h.api.request(method, path, options);
      const what = `${method} ${path} ${JSON.stringify(options).slice(0, 120)}`;
      assert.equal(r.status, status, `${what}: ${r.text.slice(0, 300)}`);
      if (status === 400) {
        assert.equal(r.json.code, 'InputValidationError', what);
        assert.equal(typeof r.json.error, 'string', what);
        if (fieldName) assert.ok(fieldName in ((r.json.details as Record<string, string>) ?? {}), `${what}: names ${fieldName}: ${r.text}`);
      }
    }
    assert.equal((await h.api.ok('GET', `/users/${u}`)).username, 'validator', 'nothing above damaged the user');
  });

  it('never answers 5xx to hostile values on any documented route', async () => {
    const doc = (await h.api.get('/openapi.json')).json;
    const hostile: unknown[] = [INJECTION[0], INJECTION[2], INJECTION[6], '', 'a'.repeat(10_000), -1, 1e308, 2 ** 53 + 1, true, null, [[]], { $gt: '' }];
    const realParams: Record<string, string> = { user: u, mailbox: box, message: String(msg), filter, address, asp: ids.asp!, attachment: 'ATT00001', username: 'validator', event: NO_USER };
    let requests = 0;
    for (const [template, ops] of Object.entries(doc.paths as Record<string, Record<string, Record<string, unknown>>>)) {
      for (const [method, op] of Object.entries(ops)) {
        if (method === 'delete' && /^\/users\/\{user\}$/.test(template)) continue;
        const fill = (overrides: Record<string, string>) => template.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(overrides[name] ?? realParams[name]!));
        const send = async (path: string, options: RequestOptions) => {
          requests++;
          const r = await h.api.request(method.toUpperCase(), path, options);
          assert.ok(r.status < 500, `${method.toUpperCase()} ${path} ${JSON.stringify(options).slice(0, 200)} → ${r.status} ${r.text.slice(0, 300)}`);
        };
        const params = ((op.parameters as Array<{ name: string; in: string }>) ?? []);
        // hostile path parameters
        for (const p of params.filter((x) => x.in === 'path')) {
          for (const v of INJECTION.concat(['0', '-1', 'x'.repeat(3000), '1:2:3', 'ATT'])) await send(fill({ [p.name]: v }), {});
        }
        if (template.endsWith('/updates')) continue;
        // hostile query arguments
        for (const p of params.filter((x) => x.in === 'query')) {
          for (const v of ['', INJECTION[0]!, 'x'.repeat(3000), '-1', '[]']) await send(fill({}), { query: { [p.name]: v } });
        }
        // hostile body fields (not on routes that would destroy the fixtures)
        const body = op.requestBody as { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> } | undefined;
        const props = Object.keys(body?.content?.['application/json']?.schema?.properties ?? {});
        if (method === 'delete' || method === 'get') continue;
        for (const v of ['not-an-object', [1, 2], 42, null]) await send(fill({}), { body: JSON.stringify(v) });
        for (const prop of props) {
          for (const v of hostile) await send(fill({}), { body: { [prop]: v } });
        }
      }
    }
    assert.ok(requests > 1000, `sent ${requests} requests`);
  });
});
