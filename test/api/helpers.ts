/** A small HTTP client for the admin API of a test app (real Koa app on port 0). */
import assert from 'node:assert/strict';
import { startTestApp, type ConfigOverrides, type TestApp } from '../helpers/app.js';

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON body (null when the body is not JSON). */
  json: Record<string, unknown> & { results?: Array<Record<string, unknown>> };
  bytes: Buffer;
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean>;
  /** JSON body. */
  body?: unknown;
  /** Form-encoded body. */
  form?: Record<string, string>;
  /** Raw body with its content type. */
  raw?: { data: Buffer | string; type: string };
  headers?: Record<string, string>;
  /** Overrides the client's token; null sends none. */
  token?: string | null;
}

export class ApiClient {
  constructor(
    readonly base: string,
    readonly token: string | null = null,
  ) {}

  async request(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse> {
    const url = new URL(path, this.base);
    for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { ...options.headers };
    const token = options.token === undefined ? this.token : options.token;
    if (token !== null && !('x-access-token' in headers) && !('authorization' in headers)) headers['x-access-token'] = token;
    let body: string | Buffer | undefined;
    if (options.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    } else if (options.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(options.form).toString();
    } else if (options.raw) {
      headers['content-type'] = options.raw.type;
      body = options.raw.data;
    }
    const res = await fetch(url, { method, headers, body });
    const bytes = Buffer.from(await res.arrayBuffer());
    const text = bytes.toString('utf8');
    let json: ApiResponse['json'] = {};
    if (text && (res.headers.get('content-type') ?? '').includes('json')) json = JSON.parse(text) as ApiResponse['json'];
    return { status: res.status, headers: res.headers, text, json, bytes };
  }

  get(path: string, options?: RequestOptions) {
    return this.request('GET', path, options);
  }
  post(path: string, body?: unknown, options: RequestOptions = {}) {
    return this.request('POST', path, { ...options, body: body ?? {} });
  }
  put(path: string, body?: unknown, options: RequestOptions = {}) {
    return this.request('PUT', path, { ...options, body: body ?? {} });
  }
  del(path: string, options?: RequestOptions) {
    return this.request('DELETE', path, options);
  }

  /** Asserts a 200 with success: true and returns the JSON. */
  async ok(method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse['json']> {
    const r = await this.request(method, path, options);
    assert.equal(r.status, 200, `${method} ${path}: ${r.text}`);
    assert.equal(r.json.success, true, `${method} ${path}: ${r.text}`);
    return r.json;
  }
}

export interface ApiHarness {
  t: TestApp;
  api: ApiClient;
  /** Creates a user through the API; returns its id. */
  createUser(username: string, extra?: Record<string, unknown>): Promise<string>;
  stop(): Promise<void>;
}

export async function startApi(overrides: ConfigOverrides = {}, services: Array<'imap' | 'pop3' | 'lmtp' | 'api'> = ['api']): Promise<ApiHarness> {
  const t = await startTestApp(services, overrides);
  const token = overrides.api?.accessToken || null;
  const api = new ApiClient(`http://127.0.0.1:${t.port('api')}`, token);
  return {
    t,
    api,
    async createUser(username, extra = {}) {
      const r = await api.ok('POST', '/users', { body: { username, password: 'secret-pass', ...extra } });
      return String(r.id);
    },
    stop: () => t.stop(),
  };
}

export const NO_USER = '0123456789abcdef01234567';
