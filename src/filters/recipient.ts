/**
 * RCPT TO resolution: the recipient address to a user, with the configured
 * local-part policy and plus-addressing, IDN-normalised (both the UTF-8 and
 * the punycode spelling of a domain find the same user).
 */
import type { DeliveryConfig } from '../config/schema.js';
import { normalizeAddress } from '../storage/address.js';
import { InvalidError } from '../storage/errors.js';
import type { AccountStore } from '../storage/interface.js';
import type { Address, User } from '../storage/types.js';

export type RecipientResolution =
  | { status: 'ok'; user: User; address: Address; tag: string | null }
  | { status: 'invalid' }
  | { status: 'unknown' }
  | { status: 'disabled'; user: User }
  | { status: 'over-quota'; user: User };

const localPart = (address: string): string => address.slice(0, address.lastIndexOf('@'));

/** The address without its subaddress tag, and the tag; null when it has none. */
export function splitTag(address: string, separator: string): { base: string; tag: string } | null {
  if (!separator) return null;
  const at = address.lastIndexOf('@');
  const sep = address.indexOf(separator);
  if (sep <= 0 || sep >= at) return null;
  return { base: address.slice(0, sep) + address.slice(at), tag: address.slice(sep + 1, at) };
}

/** Whether `user` can take `size` more bytes (0: unknown size, only "already full" counts). */
export function overQuota(user: User, size: number): boolean {
  if (user.quota <= 0) return false;
  return size > 0 ? user.storageUsed + size > user.quota : user.storageUsed >= user.quota;
}

export async function resolveRecipient(
  accounts: AccountStore,
  raw: string,
  config: Pick<DeliveryConfig, 'plusSeparator' | 'localPartCase'>,
  sizeHint = 0,
): Promise<RecipientResolution> {
  let given: string;
  try {
    given = normalizeAddress(raw);
  } catch (err) {
    if (err instanceof InvalidError) return { status: 'invalid' };
    throw err;
  }
  let found = await accounts.resolveAddress(given);
  let wanted = given;
  let tag: string | null = null;
  if (!found) {
    const split = splitTag(given, config.plusSeparator);
    if (split) {
      found = await accounts.resolveAddress(split.base);
      wanted = split.base;
      tag = split.tag;
    }
  }
  if (!found) return { status: 'unknown' };
  // Storage matches case-insensitively; "sensitive" asks for the exact local part.
  if (config.localPartCase === 'sensitive' && localPart(found.address) !== localPart(wanted)) return { status: 'unknown' };
  const user = await accounts.getUser(found.userId);
  if (!user) return { status: 'unknown' };
  if (user.disabled) return { status: 'disabled', user };
  if (overQuota(user, sizeHint)) return { status: 'over-quota', user };
  return { status: 'ok', user, address: found, tag };
}
