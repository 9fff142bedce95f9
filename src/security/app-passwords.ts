/**
 * Application-specific passwords: 16 random lowercase letters (about 75
 * bits), shown once, stored as an argon2id hash plus a keyed lookup index.
 * Users may type them with spaces ("abcd efgh ijkl mnop") and in any case.
 */
import { randomInt } from 'node:crypto';
import type { Scope } from '../auth/login.js';
import type { AspScope } from '../storage/security-stores.js';

export const ASP_LENGTH = 16;

export function generateAppPassword(): string {
  let out = '';
  // randomInt draws without modulo bias.
  for (let i = 0; i < ASP_LENGTH; i++) out += String.fromCharCode(0x61 + randomInt(26));
  return out;
}

/** The canonical form, or null when the input cannot be an app password (so no lookup is spent on it). */
export function normalizeAppPassword(input: string): string | null {
  const value = input.replace(/\s+/g, '').toLowerCase();
  return /^[a-z]{16}$/.test(value) ? value : null;
}

/** Whether an app password with these scopes may log in with `scope`: never for master. */
export function aspAllows(scopes: readonly AspScope[], scope: Scope): boolean {
  if (scope === 'master') return false;
  return scopes.includes('*') || scopes.includes(scope);
}
