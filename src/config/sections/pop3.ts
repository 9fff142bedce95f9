import { z } from 'zod';
import { host, port, seconds } from './common.js';

export const pop3Schema = z.strictObject({
  enabled: z.boolean().default(true),
  host: host(),
  port: port(1110),
  /** Implicit-TLS listener; 0 disables it. */
  tlsPort: z.number().int().min(0).max(65535).default(0),
  /** Idle time before the session is closed, seconds (RFC 1939 §3: at least 10 minutes). */
  idleTimeout: z.number().min(600).default(600),
  /** Show only the newest N messages of INBOX; 0 shows all. */
  maxMessages: z.number().int().min(0).default(0),
  /** What QUIT does with DELE'd messages: expunge them (into the archive) or move them to Trash. */
  deleteAction: z.enum(['expunge', 'trash']).default('expunge'),
  /** RETR marks messages \\Seen. */
  markSeenOnRetr: z.boolean().default(true),
  /** TOP marks messages \\Seen. */
  markSeenOnTop: z.boolean().default(false),
  /** Leave the version out of the IMPLEMENTATION capability. */
  hideVersion: z.boolean().default(false),
  maxConnectionsPerUser: z.number().int().min(1).default(10),
  maxConnectionsPerIp: z.number().int().min(1).default(50),
  /**
   * Longest command line accepted, bytes without CRLF (RFC 2449 §4 asks for
   * at least 255; SASL responses are longer). Longer lines get -ERR.
   */
  maxLineLength: z.number().int().min(255).max(65536).default(4096),
});
export type Pop3Config = z.infer<typeof pop3Schema>;
