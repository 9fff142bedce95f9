/** Every API route, in documentation order. The OpenAPI document lists exactly these. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { packageRoot } from '../../config/load.js';
import { buildOpenApi } from '../openapi.js';
import { defineRoute, JsonReply, type AnyRoute } from '../router.js';
import { addressRoutes } from './addresses.js';
import { archiveRoutes } from './archive.js';
import { aspRoutes } from './asps.js';
import { authRoutes } from './auth.js';
import { autoreplyRoutes } from './autoreply.js';
import { filterRoutes } from './filters.js';
import { mailboxRoutes } from './mailboxes.js';
import { messageReadRoutes } from './messages.js';
import { messageWriteRoutes } from './messages-write.js';
import { twofaRoutes } from './twofa.js';
import { updateRoutes } from './updates.js';
import { userUpdateRoutes } from './users-update.js';
import { userRoutes } from './users.js';

const health = defineRoute({
  method: 'GET',
  path: '/health',
  summary: 'Storage and Redis reachability',
  description: 'No access token needed. 500 with success false and a message when something is down.',
  tags: ['Health'],
  public: true,
  response: z.object({ success: z.boolean(), storage: z.literal('ok'), redis: z.enum(['ok', 'disabled']) }),
  async handler({ deps }) {
    const report = await deps.health.check();
    if (report.storage !== 'ok' || report.redis === 'down') return new JsonReply(500, { success: false, ...report });
    return { success: true, storage: 'ok' as const, redis: report.redis === 'ok' ? ('ok' as const) : ('disabled' as const) };
  },
});

function version(): string {
  try {
    return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** All routes, the OpenAPI document route included (it describes the list it is part of). */
export function allRoutes(): AnyRoute[] {
  const routes: AnyRoute[] = [
    ...userRoutes,
    ...userUpdateRoutes,
    ...authRoutes,
    ...twofaRoutes,
    ...aspRoutes,
    ...addressRoutes,
    ...mailboxRoutes,
    ...messageReadRoutes,
    ...messageWriteRoutes,
    ...filterRoutes,
    ...autoreplyRoutes,
    ...archiveRoutes,
    ...updateRoutes,
    health,
  ];
  let doc: Record<string, unknown> | null = null;
  routes.push(
    defineRoute({
      method: 'GET',
      path: '/openapi.json',
      summary: 'This API as an OpenAPI 3.1 document',
      tags: ['Health'],
      public: true,
      response: z.record(z.string(), z.unknown()),
      async handler() {
        return (doc ??= buildOpenApi(routes, version()));
      },
    }),
  );
  return routes;
}
