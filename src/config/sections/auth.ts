import { z } from 'zod';

export const authSchema = z.strictObject({
  /** Failed logins allowed per user within `failureWindow` before further attempts are refused. */
  maxFailuresPerUser: z.number().int().min(1).default(10),
  /** Failed logins allowed per client IP within `failureWindow`. */
  maxFailuresPerIp: z.number().int().min(1).default(30),
  /** Window for counting failures, seconds. */
  failureWindow: z.number().min(1).default(600),
  /** Delay before answering a failed login, milliseconds (slows guessing). */
  failureDelay: z.number().int().min(0).default(1000),
  /** argon2id memory cost in KiB. */
  argonMemory: z.number().int().min(1024).default(19456),
  /** argon2id iterations. */
  argonTime: z.number().int().min(1).default(2),
  /**
   * Allow plaintext passwords on unencrypted connections from non-loopback
   * clients. Off by default: passwords then need TLS.
   */
  allowInsecurePlaintext: z.boolean().default(false),
});
export type AuthConfig = z.infer<typeof authSchema>;
