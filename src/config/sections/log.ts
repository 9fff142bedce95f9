import { z } from 'zod';

export const logSchema = z.strictObject({
  /** Minimum level written. */
  level: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  /** json: one JSON object per line; text: human-readable. */
  format: z.enum(['json', 'text']).default('text'),
});
export type LogConfig = z.infer<typeof logSchema>;
