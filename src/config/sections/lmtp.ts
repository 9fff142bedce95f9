import { z } from 'zod';
import { host, port } from './common.js';

export const lmtpSchema = z.strictObject({
  enabled: z.boolean().default(true),
  host: host(),
  port: port(2424),
  /** Listen on this Unix socket path instead of TCP when set. */
  socket: z.string().default(''),
  /** Largest message accepted, bytes; announced in SIZE. */
  maxSize: z.number().int().min(1024).default(64 * 1024 * 1024),
  /** Offer STARTTLS (RFC 3207) with the [tls] certificate, for an MTA on another machine. */
  starttls: z.boolean().default(false),
});
export type LmtpConfig = z.infer<typeof lmtpSchema>;
