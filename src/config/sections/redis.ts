import { z } from 'zod';

export const redisSchema = z.strictObject({
  /** Redis URL for cross-process notifications and shared rate limits. Empty: in-process only. */
  url: z.string().default(''),
  /** Prefix for every key and channel Eider uses in Redis. */
  prefix: z.string().default('eider:'),
});
export type RedisConfig = z.infer<typeof redisSchema>;
