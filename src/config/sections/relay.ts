import { z } from 'zod';
import { seconds } from './common.js';

/** Outbound SMTP relay for autoreplies and forwards (nodemailer). No host: keep them in the outbox. */
export const relaySchema = z.strictObject({
  /** Relay host; empty keeps outbound mail queued in the durable outbox until one is configured. */
  host: z.string().default(''),
  port: z.number().int().min(1).max(65535).default(587),
  /** Implicit TLS (port 465 style); false uses STARTTLS when the relay offers it. */
  secure: z.boolean().default(false),
  /** Verify the relay's TLS certificate. */
  rejectUnauthorized: z.boolean().default(true),
  /** SMTP AUTH user and password; empty user: no AUTH. */
  user: z.string().default(''),
  pass: z.string().default(''),
  /** Seconds between outbox runs (new entries are also sent right away). */
  interval: seconds(30),
  /** First retry delay after a failed send, seconds; doubles per attempt up to retryMax. */
  retryBase: seconds(60),
  retryMax: seconds(3600),
});
export type RelayConfig = z.infer<typeof relaySchema>;
