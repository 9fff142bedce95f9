import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../config/load.js';

let cached: string | null = null;

/** The package version, for the IMPLEMENTATION capability (RFC 2449 §6.9). */
export function serverVersion(): string {
  if (cached === null) {
    try {
      const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: unknown };
      cached = typeof pkg.version === 'string' ? pkg.version : '0';
    } catch {
      cached = '0';
    }
  }
  return cached;
}
