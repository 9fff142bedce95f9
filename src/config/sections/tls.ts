import { z } from 'zod';

export const tlsSchema = z.strictObject({
  /** PEM certificate chain path. Empty with key empty: a self-signed pair is generated once into the data directory. */
  cert: z.string().default(''),
  /** PEM private key path. */
  key: z.string().default(''),
  /** Lowest TLS version accepted. */
  minVersion: z.enum(['TLSv1.2', 'TLSv1.3']).default('TLSv1.2'),
});
export type TlsConfig = z.infer<typeof tlsSchema>;
