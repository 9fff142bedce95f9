/**
 * The OpenAPI 3.1 document, generated from the same route declarations
 * that validate requests (JSON Schema 2020-12 via z.toJSONSchema).
 */
import { z } from 'zod';
import type { AnyRoute } from './router.js';
import { sessionSchema } from './schemas.js';

type Json = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  const out = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Json;
  delete out.$schema;
  return out;
}

interface ObjectSchema {
  properties: Record<string, Json>;
  required: string[];
}

function objectParts(schema: Json): ObjectSchema {
  const properties = (schema.properties ?? {}) as Record<string, Json>;
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  return { properties, required };
}

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): Json[] {
  if (!schema) return [];
  const { properties, required } = objectParts(jsonSchema(schema, 'input'));
  return Object.entries(properties).map(([name, prop]) => {
    const { description, ...rest } = prop;
    const param: Json = { name, in: where, required: where === 'path' || required.includes(name), schema: rest };
    if (typeof description === 'string') param.description = description;
    return param;
  });
}

const errorSchema: Json = {
  type: 'object',
  properties: {
    error: { type: 'string', description: 'What went wrong' },
    code: { type: 'string', description: 'Stable error code (InputValidationError, UserNotFound, ...)' },
    details: { type: 'object', additionalProperties: { type: 'string' }, description: 'Per-field validation messages' },
  },
  required: ['error', 'code'],
};

const errorResponse = (description: string): Json => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

function operationId(route: AnyRoute): string {
  const words = route.path
    .split('/')
    .filter(Boolean)
    .map((s) => (s.startsWith(':') ? `by-${s.slice(1)}` : s))
    .join('-')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1));
  return route.method.toLowerCase() + words.join('');
}

function requestBody(route: AnyRoute): Json | undefined {
  if (route.method === 'GET') return undefined;
  const content: Json = {};
  if (route.body) {
    const schema = jsonSchema(route.body, 'input');
    const session = objectParts(jsonSchema(sessionSchema, 'input'));
    if (schema.type === 'object') schema.properties = { ...(schema.properties as Json), ...session.properties };
    content['application/json'] = { schema };
    content['application/x-www-form-urlencoded'] = { schema };
  }
  for (const type of route.rawBody ?? []) content[type] = { schema: { type: 'string', contentMediaType: type } };
  if (Object.keys(content).length === 0) return undefined;
  const required = route.body ? objectParts(jsonSchema(route.body, 'input')).required.length > 0 : false;
  return { required, content };
}

function operation(route: AnyRoute): Json {
  const params = [...parameters(route.params, 'path'), ...parameters(route.query, 'query')];
  const names = new Set(params.map((p) => p.name));
  if (route.method === 'GET' || route.method === 'DELETE' || !route.body) {
    for (const p of parameters(sessionSchema, 'query')) if (!names.has(p.name)) params.push(p);
  }
  const ok: Json = { description: 'Success' };
  if (route.produces) ok.content = { [route.produces]: { schema: { type: 'string' } } };
  else if (route.response) ok.content = { 'application/json': { schema: jsonSchema(route.response, 'output') } };
  const responses: Json = { '200': ok, '400': errorResponse('Invalid input (InputValidationError names the fields)') };
  if (!route.public) {
    responses['401'] = errorResponse('Access token missing');
    responses['403'] = errorResponse('Access token invalid, or the operation is not permitted');
  }
  if (route.params) responses['404'] = errorResponse('A referenced object does not exist');
  if (route.method === 'POST' || route.method === 'PUT') {
    responses['409'] = errorResponse('Already exists');
    responses['413'] = errorResponse('Request body too large');
  }
  responses['500'] = errorResponse('Internal error');
  const op: Json = { operationId: operationId(route), summary: route.summary, tags: route.tags, parameters: params, responses };
  if (route.description) op.description = route.description;
  const body = requestBody(route);
  if (body) op.requestBody = body;
  if (route.public) op.security = [];
  return op;
}

export function buildOpenApi(routes: readonly AnyRoute[], version: string): Json {
  const paths: Record<string, Json> = {};
  for (const route of routes) {
    const template = route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    (paths[template] ??= {})[route.method.toLowerCase()] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Eider admin API',
      version,
      description:
        'Administration API of the Eider mail server. Paths, parameters and JSON shapes follow the WildDuck API, so WildDuck clients work unchanged.',
    },
    servers: [{ url: '/' }],
    security: [{ AccessTokenHeader: [] }, { BearerToken: [] }, { AccessTokenQuery: [] }],
    paths,
    components: {
      schemas: { Error: errorSchema },
      securitySchemes: {
        AccessTokenHeader: { type: 'apiKey', in: 'header', name: 'X-Access-Token' },
        BearerToken: { type: 'http', scheme: 'bearer' },
        AccessTokenQuery: { type: 'apiKey', in: 'query', name: 'accessToken' },
      },
    },
  };
}
