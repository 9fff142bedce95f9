import { z } from 'zod';
import { host, port, seconds } from './common.js';

export const imapSchema = z.strictObject({
  enabled: z.boolean().default(true),
  host: host(),
  /** Plain (STARTTLS-capable) listener. */
  port: port(1143),
  /** Implicit-TLS listener; 0 disables it. */
  tlsPort: z.number().int().min(0).max(65535).default(0),
  /** Idle time before logout once authenticated, seconds (RFC 3501 §5.4: at least 30 minutes). */
  idleTimeout: z.number().min(1800).default(1800),
  /** Idle time before logout when not yet authenticated, seconds. */
  preauthTimeout: seconds(60),
  /** Concurrent connections per user. */
  maxConnectionsPerUser: z.number().int().min(1).default(50),
  /** Concurrent connections per client IP. */
  maxConnectionsPerIp: z.number().int().min(1).default(100),
  /** Largest literal (and message) accepted from a client, bytes; announced as APPENDLIMIT. */
  maxMessageSize: z.number().int().min(1024).default(64 * 1024 * 1024),
  /** Longest command line (outside literals), bytes. */
  maxLineLength: z.number().int().min(1024).default(64 * 1024),
  /**
   * While a client idles (RFC 2177), how often the journal is also polled,
   * seconds: the fallback that finds changes made by another process when
   * no Redis link carries them. 0 disables polling.
   */
  idlePollInterval: z.number().min(0).default(30),
});
export type ImapConfig = z.infer<typeof imapSchema>;
