/** Table tests of the API's pure parts: body decoding, route matching, scalar schemas, search compilation. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { mediaType, parseBody, parseForm } from '../../src/api/body.js';
import { ApiError, toApiError, validationError } from '../../src/api/errors.js';
import { defineRoute, RouteTable } from '../../src/api/router.js';
import { buildSearch, specRanges } from '../../src/api/routes/search-query.js';
import { bool, date, int, list, objectId } from '../../src/api/schemas.js';
import { LoginError } from '../../src/auth/login.js';
import { AlreadyExistsError, CannotError, InvalidError, NotFoundError, OverQuotaError, UnavailableError } from '../../src/storage/errors.js';

const status = (f: () => unknown): number => {
  try {
    f();
    return 0;
  } catch (err) {
    return err instanceof ApiError ? err.status : -1;
  }
};

describe('body decoding', () => {
  it('parses JSON by content type and refuses the rest', () => {
    assert.deepEqual(parseBody(Buffer.from('{"a":1}'), 'application/json; charset=utf-8'), { a: 1 });
    assert.deepEqual(parseBody(Buffer.from('{"a":1}'), 'application/vnd.api+json'), { a: 1 });
    assert.deepEqual(parseBody(Buffer.from('{"a":1}'), undefined), { a: 1 }, 'no type: JSON, as curl -d users expect');
    assert.equal(parseBody(Buffer.alloc(0), 'application/json'), undefined);
    const table: Array<[string | Buffer, string, number]> = [
      ['{"a":', 'application/json', 400],
      ['{a:1}', 'application/json', 400],
      [Buffer.from([0x22, 0xc3, 0x28, 0x22]), 'application/json', 400],
      ['<a/>', 'text/xml', 415],
      ['x', 'multipart/form-data; boundary=x', 415],
    ];
    for (const [body, type, expected] of table) assert.equal(status(() => parseBody(Buffer.from(body), type)), expected, `${type} ${String(body)}`);
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    assert.ok([0, 400].includes(status(() => parseBody(Buffer.from(deep), 'application/json'))), 'deep nesting is no crash');
  });

  it('parses form bodies: arrays, one level of nesting, no prototype tricks', () => {
    assert.deepEqual({ ...parseForm('a=1&b=x%20y&b=z&c%5B%5D=q&d[e]=f') }, { a: '1', b: ['x y', 'z'], c: ['q'], d: Object.assign(Object.create(null), { e: 'f' }) });
    const evil = parseForm('__proto__[polluted]=1&constructor=x&toString=y');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.getPrototypeOf(evil), null);
    assert.equal(evil.toString, 'y');
    assert.deepEqual({ ...parseForm('a[b][c]=1') }, { 'a[b][c]': '1' }, 'deeper nesting stays a flat key');
    assert.deepEqual(Object.keys(parseForm('%E0%A4%A=1&%=x&=&&')).length, 3, 'malformed escapes decode leniently, never throw');
    assert.equal(mediaType(' Application/JSON ; charset=x'), 'application/json');
  });
});

describe('route matching', () => {
  const r = (method: 'GET' | 'POST', path: string) => defineRoute({ method, path, summary: path, tags: [], handler: async () => ({}) });
  const table = new RouteTable([
    r('GET', '/users/:user'),
    r('GET', '/users/:user/addresses'),
    r('GET', '/users/resolve/:username'),
    r('POST', '/users/:user/addresses'),
    r('GET', '/users/:user/mailboxes/:mailbox/messages/:message/message.eml'),
    r('GET', '/users/:user/mailboxes/:mailbox/messages/:message'),
  ]);

  it('prefers literal segments and decodes parameters', () => {
    const cases: Array<[string, string, string | null, Record<string, string>?]> = [
      ['GET', '/users/abc', '/users/:user', { user: 'abc' }],
      ['GET', '/users/resolve/joe', '/users/resolve/:username', { username: 'joe' }],
      ['GET', '/users/resolve/addresses', '/users/resolve/:username', { username: 'addresses' }],
      ['GET', '/users/x/addresses', '/users/:user/addresses', { user: 'x' }],
      ['GET', '/users/a%2Fb', '/users/:user', { user: 'a/b' }],
      ['GET', '/users/u/mailboxes/m/messages/1,2', '/users/:user/mailboxes/:mailbox/messages/:message', { user: 'u', mailbox: 'm', message: '1,2' }],
      ['GET', '/users/u/mailboxes/m/messages/7/message.eml', '/users/:user/mailboxes/:mailbox/messages/:message/message.eml'],
      ['GET', '/users/', null],
      ['GET', '/users//addresses', null],
      ['GET', '/nothing', null],
    ];
    for (const [method, path, expected, params] of cases) {
      const m = table.match(method, path);
      if (expected === null) assert.equal(m, null, path);
      else {
        assert.ok(m && 'route' in m, path);
        assert.equal(m.route.path, expected, path);
        if (params) assert.deepEqual(m.params, params, path);
      }
    }
    assert.deepEqual(table.match('DELETE', '/users/x/addresses'), { allowed: ['GET', 'POST'] });
    assert.throws(() => table.match('GET', '/users/%E0%A4%A'), URIError);
    assert.throws(() => new RouteTable([r('GET', '/a'), r('GET', '/a')]), /duplicate/);
  });
});

describe('scalar schemas', () => {
  it('bool, int, date, list, objectId accept their spellings and nothing else', () => {
    const ok = <T>(s: z.ZodType<T>, v: unknown) => s.parse(v);
    const bad = (s: z.ZodType, v: unknown) => !s.safeParse(v).success;
    for (const v of [true, 1, 'true', 'YES', 'on', '1', 'y']) assert.equal(ok(bool(), v), true, String(v));
    for (const v of [false, 0, 'false', 'no', 'off', '0', '']) assert.equal(ok(bool(), v), false, String(v));
    for (const v of ['maybe', 2, null, [], {}]) assert.ok(bad(bool(), v), String(v));
    assert.equal(ok(int(1, 10), ' 7 '), 7);
    for (const v of ['7.5', 7.5, '0x10', '1e3', '', 11, 0, '99999999999999999', null, true]) assert.ok(bad(int(1, 10), v), String(v));
    assert.equal(ok(date(), '2026-01-02T03:04:05Z').toISOString(), '2026-01-02T03:04:05.000Z');
    assert.equal(ok(date(), 1_700_000_000_000).getTime(), 1_700_000_000_000);
    assert.equal(ok(date(), '1700000000000').getTime(), 1_700_000_000_000);
    for (const v of ['not a date', '', 'x'.repeat(100), {}, true]) assert.ok(bad(date(), v), String(v));
    assert.deepEqual(ok(list(z.string()), ' a, b ,,c '), ['a', 'b', 'c']);
    assert.deepEqual(ok(list(z.string()), ['a']), ['a']);
    assert.ok(bad(list(z.string(), 2), 'a,b,c'));
    assert.equal(ok(objectId(), 'ABCDEF0123456789ABCDEF01'), 'abcdef0123456789abcdef01');
    for (const v of ['abc', 'g'.repeat(24), 'a'.repeat(25), 123]) assert.ok(bad(objectId(), v), String(v));
  });

  it('names fields in validation errors and says "is required" for missing ones', () => {
    const schema = z.object({ a: z.string(), b: z.object({ c: int(0, 1) }) });
    const r = schema.safeParse({ b: { c: 5 } });
    assert.ok(!r.success);
    const e = validationError(r.error.issues);
    assert.deepEqual(e.details, { a: 'is required', 'b.c': 'must be at most 1' });
    assert.match(e.message, /^a: is required; b\.c: must be at most 1$/);
  });
});

describe('error mapping', () => {
  it('maps storage, login and unknown errors to statuses and codes in one place', () => {
    const table: Array<[unknown, number, string]> = [
      [new NotFoundError('user'), 404, 'UserNotFound'],
      [new NotFoundError('mailbox'), 404, 'MailboxNotFound'],
      [new NotFoundError('message'), 404, 'MessageNotFound'],
      [new NotFoundError('filter'), 404, 'FilterNotFound'],
      [new AlreadyExistsError('mailbox'), 409, 'AlreadyExists'],
      [new CannotError('no'), 403, 'NotPermitted'],
      [new OverQuotaError(1, 2, 3), 403, 'OverQuotaError'],
      [new InvalidError('path', 'bad'), 400, 'InputValidationError'],
      [new UnavailableError('down'), 503, 'ServiceUnavailable'],
      [new LoginError('invalid'), 403, 'AuthFailed'],
      [new LoginError('rate-limited'), 429, 'RateLimitedError'],
      [new Error('boom'), 500, 'InternalError'],
      ['a string', 500, 'InternalError'],
    ];
    for (const [err, s, code] of table) {
      const e = toApiError(err);
      assert.deepEqual([e.status, e.code], [s, code], String(err));
    }
    assert.deepEqual(toApiError(new InvalidError('path', 'bad')).details, { path: 'bad' });
    assert.equal(toApiError(new Error('secret detail')).message, 'Internal error', 'internals stay in the log');
  });
});

describe('search and message-set compilation', () => {
  it('turns WildDuck search arguments into a storage query', () => {
    assert.deepEqual(buildSearch({}), { op: 'all' });
    assert.deepEqual(buildSearch({ unseen: true, flagged: false }), {
      op: 'and',
      of: [
        { op: 'flag', flag: '\\Flagged', present: false },
        { op: 'flag', flag: '\\Seen', present: false },
      ],
    });
    assert.deepEqual(buildSearch({ minSize: 10, maxSize: 20 }), { op: 'and', of: [{ op: 'size', gt: 9, lt: 21 }] });
    const d = new Date('2026-01-01T00:00:00Z');
    assert.deepEqual(buildSearch({ dateend: d }), { op: 'and', of: [{ op: 'internalDate', gte: undefined, lt: d.getTime() + 1 }] });
    assert.deepEqual(buildSearch({ or: { from: 'a', subject: 'b' } }), {
      op: 'and',
      of: [{ op: 'or', of: [{ op: 'header', field: 'from', value: 'a' }, { op: 'header', field: 'subject', value: 'b' }] }],
    });
  });

  it('parses message lists and ranges', () => {
    assert.deepEqual(specRanges('5'), [[5, 5]]);
    assert.deepEqual(specRanges('1,3'), [[1, 1], [3, 3]]);
    assert.deepEqual(specRanges('9:2'), [[2, 9]]);
    assert.throws(() => specRanges(Array.from({ length: 1001 }, (_, i) => i + 1).join(',')), ApiError);
  });
});
