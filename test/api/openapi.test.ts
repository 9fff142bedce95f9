import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import SwaggerParser from '@apidevtools/swagger-parser';
import { allRoutes } from '../../src/api/routes/index.js';
import { tempDir } from '../helpers/tmp.js';
import { startApi, type ApiHarness } from './helpers.js';

type Json = Record<string, unknown>;

describe('api: OpenAPI document', () => {
  let h: ApiHarness;
  let doc: Json;
  const dir = tempDir('eider-openapi-');
  before(async () => {
    h = await startApi();
    const r = await h.api.get('/openapi.json');
    assert.equal(r.status, 200);
    doc = r.json;
  });
  after(async () => {
    await h.stop();
    dir.cleanup();
  });

  it('is OpenAPI 3.1 and lists every route exactly once', () => {
    assert.equal(doc.openapi, '3.1.0');
    const paths = doc.paths as Record<string, Record<string, Json>>;
    const documented = Object.entries(paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    const declared = allRoutes().map((r) => `${r.method} ${r.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`);
    assert.deepEqual(documented.sort(), declared.sort());
    for (const expected of [
      'GET /users',
      'POST /users',
      'GET /users/{user}',
      'PUT /users/{user}',
      'DELETE /users/{user}',
      'PUT /users/{user}/logout',
      'POST /users/{user}/password/reset',
      'POST /users/{user}/quota/reset',
      'POST /authenticate',
      'GET /users/{user}/authlog',
      'POST /users/{user}/2fa/totp/setup',
      'POST /users/{user}/2fa/totp/enable',
      'POST /users/{user}/2fa/totp/check',
      'DELETE /users/{user}/2fa/totp',
      'DELETE /users/{user}/2fa',
      'GET /users/{user}/asps',
      'POST /users/{user}/asps',
      'DELETE /users/{user}/asps/{asp}',
      'GET /addresses',
      'GET /users/{user}/addresses',
      'POST /users/{user}/addresses',
      'GET /users/{user}/addresses/{address}',
      'PUT /users/{user}/addresses/{address}',
      'DELETE /users/{user}/addresses/{address}',
      'GET /users/{user}/mailboxes',
      'POST /users/{user}/mailboxes',
      'GET /users/{user}/mailboxes/{mailbox}',
      'PUT /users/{user}/mailboxes/{mailbox}',
      'DELETE /users/{user}/mailboxes/{mailbox}',
      'GET /users/{user}/mailboxes/{mailbox}/messages',
      'POST /users/{user}/mailboxes/{mailbox}/messages',
      'GET /users/{user}/search',
      'GET /users/{user}/mailboxes/{mailbox}/messages/{message}',
      'PUT /users/{user}/mailboxes/{mailbox}/messages/{message}',
      'DELETE /users/{user}/mailboxes/{mailbox}/messages/{message}',
      'GET /users/{user}/mailboxes/{mailbox}/messages/{message}/message.eml',
      'GET /users/{user}/mailboxes/{mailbox}/messages/{message}/attachments/{attachment}',
      'GET /users/{user}/filters',
      'POST /users/{user}/filters',
      'GET /users/{user}/filters/{filter}',
      'PUT /users/{user}/filters/{filter}',
      'DELETE /users/{user}/filters/{filter}',
      'GET /users/{user}/autoreply',
      'PUT /users/{user}/autoreply',
      'DELETE /users/{user}/autoreply',
      'GET /users/{user}/archived/messages',
      'GET /users/{user}/archived',
      'POST /users/{user}/archived/messages/{message}/restore',
      'POST /users/{user}/archived/{message}/restore',
      'GET /users/{user}/updates',
      'GET /health',
      'GET /openapi.json',
    ]) {
      assert.ok(documented.includes(expected), expected);
    }
  });

  it('declares every path parameter, unique operation ids, responses and resolvable refs', () => {
    const ids = new Set<string>();
    const refs: string[] = [];
    const walk = (v: unknown) => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          if (k === '$ref' && typeof x === 'string') refs.push(x);
          else walk(x);
        }
      }
    };
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, Json>>)) {
      const names = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      for (const [method, op] of Object.entries(ops)) {
        const where = `${method} ${path}`;
        assert.ok(typeof op.operationId === 'string' && !ids.has(op.operationId), `${where}: unique operationId`);
        ids.add(op.operationId as string);
        assert.ok(op.summary, `${where}: summary`);
        const params = op.parameters as Array<Json>;
        for (const name of names) {
          const p = params.find((x) => x.name === name && x.in === 'path');
          assert.ok(p && p.required === true && p.schema, `${where}: path parameter ${name}`);
        }
        const responses = op.responses as Record<string, Json>;
        assert.ok(responses['200'] && responses['400'], `${where}: responses`);
        walk(op);
      }
    }
    const components = doc.components as Json;
    for (const ref of refs) {
      const target = ref.replace(/^#\//, '').split('/').reduce<unknown>((o, k) => (o as Json | undefined)?.[k], doc);
      assert.ok(ref.startsWith('#/components/') && target, `$ref ${ref} resolves`);
    }
    assert.ok(components.securitySchemes);
  });

  it('documents the schemas: required fields, query parameters, request bodies', () => {
    const paths = doc.paths as Record<string, Record<string, Json>>;
    const create = paths['/users']!.post!;
    const schema = (((create.requestBody as Json).content as Json)['application/json'] as Json).schema as Json;
    assert.deepEqual((schema.required as string[]).sort(), ['password', 'username']);
    assert.ok((schema.properties as Json).sess, 'sess/ip documented on bodies');
    const list = paths['/users']!.get!;
    const limit = (list.parameters as Json[]).find((p) => p.name === 'limit')!;
    assert.equal(limit.in, 'query');
    assert.equal(limit.required, false);
    const eml = paths['/users/{user}/mailboxes/{mailbox}/messages/{message}/message.eml']!.get!;
    assert.ok(((eml.responses as Json)['200'] as Json).content && ((((eml.responses as Json)['200'] as Json).content as Json)['message/rfc822']));
    assert.deepEqual(paths['/health']!.get!.security, []);
  });

  it('validates as OpenAPI 3.1 (swagger-parser: structure, $refs, operation ids)', async () => {
    // A deep copy: the parser dereferences in place.
    const copy = JSON.parse(JSON.stringify(doc)) as Parameters<typeof SwaggerParser.validate>[0];
    const validated = await SwaggerParser.validate(copy);
    assert.equal((validated as { openapi?: string }).openapi?.startsWith('3.1'), true);
  });

  it('validates with openapi-spec-validator', (t) => {
    const probe = spawnSync('python3', ['-c', 'import openapi_spec_validator'], { stdio: 'ignore' });
    if (probe.status !== 0) {
      const reason = 'python3 openapi-spec-validator not installed: schema validation of the document skipped (pip install openapi-spec-validator)';
      process.emitWarning(reason);
      t.skip(reason);
      return;
    }
    const file = join(dir.path, 'openapi.json');
    writeFileSync(file, JSON.stringify(doc));
    const r = spawnSync(
      'python3',
      ['-c', 'import json,sys; from openapi_spec_validator import validate; validate(json.load(open(sys.argv[1]))); print("ok")', file],
      { encoding: 'utf8' },
    );
    assert.equal(r.status, 0, r.stderr.slice(-3000));
    assert.equal(r.stdout.trim(), 'ok');
  });
});
