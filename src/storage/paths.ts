import { InvalidError } from './errors.js';

export const SEPARATOR = '/';
const MAX_PATH_BYTES = 1024;
const MAX_DEPTH = 64;

/**
 * Validates and normalises a mailbox path: '/' separated, no empty segments,
 * no control characters, and INBOX as the first segment spelt "INBOX"
 * whatever the case (RFC 3501 §5.1: INBOX is case-insensitive).
 * @throws InvalidError('path')
 */
export function normalizePath(input: string): string {
  const path = input.normalize('NFC');
  if (path.length === 0) throw new InvalidError('path', 'empty mailbox name');
  if (Buffer.byteLength(path) > MAX_PATH_BYTES) throw new InvalidError('path', 'mailbox name too long');
  if (/[\x00-\x1f\x7f]/.test(path)) throw new InvalidError('path', 'mailbox name contains control characters');
  if (/[*%]/.test(path)) throw new InvalidError('path', 'mailbox name contains a wildcard character');
  const segments = path.split(SEPARATOR);
  if (segments.length > MAX_DEPTH) throw new InvalidError('path', 'mailbox hierarchy too deep');
  if (segments.some((s) => s.length === 0 || s.trim() !== s)) {
    throw new InvalidError('path', 'mailbox name has an empty segment or surrounding spaces');
  }
  if (segments[0]!.toUpperCase() === 'INBOX') segments[0] = 'INBOX';
  return segments.join(SEPARATOR);
}

/** Every ancestor of a path, outermost first: "a/b/c" → ["a", "a/b"]. */
export function ancestors(path: string): string[] {
  const parts = path.split(SEPARATOR);
  const out: string[] = [];
  for (let i = 1; i < parts.length; i++) out.push(parts.slice(0, i).join(SEPARATOR));
  return out;
}

export function isInbox(path: string): boolean {
  return path === 'INBOX';
}
