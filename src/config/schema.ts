import { z } from 'zod';
import { apiSchema } from './sections/api.js';
import { authSchema } from './sections/auth.js';
import { deliverySchema } from './sections/delivery.js';
import { imapSchema } from './sections/imap.js';
import { lmtpSchema } from './sections/lmtp.js';
import { logSchema } from './sections/log.js';
import { pop3Schema } from './sections/pop3.js';
import { redisSchema } from './sections/redis.js';
import { relaySchema } from './sections/relay.js';
import { serverSchema } from './sections/server.js';
import { storageSchema } from './sections/storage.js';
import { tlsSchema } from './sections/tls.js';

/**
 * The whole configuration. Each section is its own schema so each module can
 * be handed exactly its slice (`config.imap` to the IMAP server, ...).
 * Every key has a default, so an empty file is a valid configuration.
 */
export const sections = {
  server: serverSchema,
  storage: storageSchema,
  redis: redisSchema,
  log: logSchema,
  tls: tlsSchema,
  auth: authSchema,
  imap: imapSchema,
  pop3: pop3Schema,
  lmtp: lmtpSchema,
  api: apiSchema,
  delivery: deliverySchema,
  relay: relaySchema,
} as const;

export type SectionName = keyof typeof sections;

export const configSchema = z.strictObject({
  server: serverSchema.prefault({}),
  storage: storageSchema.prefault({}),
  redis: redisSchema.prefault({}),
  log: logSchema.prefault({}),
  tls: tlsSchema.prefault({}),
  auth: authSchema.prefault({}),
  imap: imapSchema.prefault({}),
  pop3: pop3Schema.prefault({}),
  lmtp: lmtpSchema.prefault({}),
  api: apiSchema.prefault({}),
  delivery: deliverySchema.prefault({}),
  relay: relaySchema.prefault({}),
});

export type Config = z.infer<typeof configSchema>;
export type { ApiConfig } from './sections/api.js';
export type { AuthConfig } from './sections/auth.js';
export type { DeliveryConfig } from './sections/delivery.js';
export type { ImapConfig } from './sections/imap.js';
export type { LmtpConfig } from './sections/lmtp.js';
export type { LogConfig } from './sections/log.js';
export type { Pop3Config } from './sections/pop3.js';
export type { RedisConfig } from './sections/redis.js';
export type { RelayConfig } from './sections/relay.js';
export type { ServerConfig } from './sections/server.js';
export type { StorageConfig } from './sections/storage.js';
export type { TlsConfig } from './sections/tls.js';
