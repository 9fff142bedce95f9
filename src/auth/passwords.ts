import { Algorithm, hash, verify } from '@node-rs/argon2';
import type { AuthConfig } from '../config/schema.js';

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** Constant-time comparison inside argon2; false for malformed hashes. */
  verify(phc: string, password: string): Promise<boolean>;
}

/** argon2id with the configured costs (OWASP's minimum is 19 MiB, 2 iterations). */
export function createHasher(config: Pick<AuthConfig, 'argonMemory' | 'argonTime'>): PasswordHasher {
  return {
    hash: (password) =>
      hash(password, { algorithm: Algorithm.Argon2id, memoryCost: config.argonMemory, timeCost: config.argonTime, parallelism: 1 }),
    verify: async (phc, password) => {
      if (!phc.startsWith('$argon2')) return false;
      try {
        return await verify(phc, password);
      } catch {
        return false;
      }
    },
  };
}
