import { z } from 'zod';
import { host, port } from './common.js';

export const apiSchema = z.strictObject({
  enabled: z.boolean().default(true),
  host: host(),
  port: port(8080),
  /** Access token required on every request. Mandatory when `host` is not loopback. */
  accessToken: z.string().default(''),
  /** Largest JSON or form-encoded request body, bytes. */
  maxBodySize: z.number().int().min(1024).default(1048576),
  /** Largest message accepted by the upload route (raw or built), bytes. */
  maxMessageSize: z.number().int().min(1024).default(67108864),
  /** Seconds between keep-alive comments on live-update (SSE) streams. */
  keepAliveInterval: z.number().min(0.01).default(30),
  /** Issuer shown by authenticator apps when TOTP setup names none. */
  totpIssuer: z.string().min(1).default('Eider'),
  /** Failed TOTP checks allowed per user within `totpFailureWindow` before checks are refused. */
  totpMaxFailures: z.number().int().min(1).default(6),
  /** Window for counting failed TOTP checks, seconds. */
  totpFailureWindow: z.number().min(1).default(900),
  /** Origins (scheme://host[:port]) browsers may call the API from; "*" for any; empty: no CORS. */
  corsOrigins: z.array(z.string().regex(/^(\*|https?:\/\/[^/\s]+)$/, 'an origin such as https://mail.example.com, or *')).default([]),
});
export type ApiConfig = z.infer<typeof apiSchema>;
