import { domainToUnicode } from 'node:url';
import { InvalidError } from './errors.js';

/**
 * Normalises an address for storage and lookup: trims, lowercases and
 * IDN-decodes the domain (punycode → Unicode, so both spellings find the same
 * user). The local part keeps its case for display; lookups use `addressKey`.
 * @throws InvalidError('address')
 */
export function normalizeAddress(input: string): string {
  const value = input.trim();
  const at = value.lastIndexOf('@');
  if (at <= 0 || at === value.length - 1 || value.length > 320 || /[\s<>()\\,;:\x00-\x1f]/.test(value.replace(/^".*"(?=@)/, ''))) {
    throw new InvalidError('address', `invalid address: ${JSON.stringify(input)}`);
  }
  const local = value.slice(0, at);
  const rawDomain = value.slice(at + 1).toLowerCase().replace(/\.$/, '');
  const domain = rawDomain.includes('xn--') || /[^\x00-\x7f]/.test(rawDomain) ? domainToUnicode(rawDomain) : rawDomain;
  if (!domain || /[\s@]/.test(domain)) throw new InvalidError('address', `invalid address domain: ${JSON.stringify(input)}`);
  return `${local}@${domain.normalize('NFC')}`;
}

/** Case-insensitive lookup key (RFC 5321 allows case-sensitive local parts; nobody relies on it). */
export function addressKey(address: string): string {
  return normalizeAddress(address).toLowerCase();
}

/** Usernames: lowercase letters, digits, dots, dashes, underscores; 1..128 chars; or an address-shaped name. */
export function normalizeUsername(input: string): string {
  const value = input.trim().toLowerCase();
  if (!/^[a-z0-9][a-z0-9._@+-]{0,127}$/.test(value)) {
    throw new InvalidError('username', `invalid username: ${JSON.stringify(input)}`);
  }
  return value;
}
