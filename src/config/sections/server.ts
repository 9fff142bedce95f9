import { z } from 'zod';

export const serverSchema = z.strictObject({
  /** Name this server announces in greetings and uses in generated headers. */
  hostname: z.string().min(1).default('localhost'),
  /**
   * Secret used to sign loop markers and similar tokens. Empty: one is
   * generated once into the data directory and reused.
   */
  secret: z.string().default(''),
  /** Bounded wait for in-flight work on SIGTERM/SIGINT, seconds. */
  shutdownTimeout: z.number().min(0).default(10),
});
export type ServerConfig = z.infer<typeof serverSchema>;
