import { z } from 'zod';
import { host, port } from './common.js';

export const apiSchema = z.strictObject({
  enabled: z.boolean().default(true),
  host: host(),
  port: port(8080),
  /** Access token required on every request. Mandatory when `host` is not loopback. */
  accessToken: z.string().default(''),
});
export type ApiConfig = z.infer<typeof apiSchema>;
