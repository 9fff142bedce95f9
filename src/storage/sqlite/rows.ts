import { decodeKeywords, joinFlags } from '../flags.js';
import type { Address, Mailbox, MessageSummary, SpecialUse, User, UserSettings } from '../types.js';

export interface UserRow {
  id: string;
  username: string;
  name: string;
  address: string | null;
  password_hash: string | null;
  require_password_change: number;
  quota: number;
  storage_used: number;
  disabled: number;
  suspended: number;
  tags: string;
  settings: string;
  created: number;
}

export function toUser(r: UserRow): User {
  return {
    id: r.id,
    username: r.username,
    name: r.name,
    address: r.address,
    quota: r.quota,
    storageUsed: r.storage_used,
    disabled: r.disabled !== 0,
    suspended: r.suspended !== 0,
    tags: JSON.parse(r.tags) as string[],
    hasPassword: r.password_hash !== null,
    requirePasswordChange: r.require_password_change !== 0,
    settings: JSON.parse(r.settings) as UserSettings,
    created: new Date(r.created),
  };
}

export interface AddressRow {
  id: string;
  user_id: string;
  address: string;
  addrkey: string;
  main: number;
  created: number;
}

export function toAddress(r: AddressRow): Address {
  return { id: r.id, userId: r.user_id, address: r.address, main: r.main !== 0, created: new Date(r.created) };
}

export interface MailboxRow {
  id: string;
  user_id: string;
  path: string;
  special_use: string | null;
  uidvalidity: number;
  uidnext: number;
  modseq: number;
  recent_uid: number;
  subscribed: number;
  retention: number;
  expunge_floor: number;
  created: number;
}

export function toMailbox(r: MailboxRow): Mailbox {
  return {
    id: r.id,
    userId: r.user_id,
    path: r.path,
    specialUse: r.special_use as SpecialUse | null,
    uidValidity: r.uidvalidity,
    uidNext: r.uidnext,
    highestModseq: r.modseq,
    subscribed: r.subscribed !== 0,
    retention: r.retention,
    created: new Date(r.created),
  };
}

export interface MessageRow {
  id: number;
  mailbox_id: string;
  user_id: string;
  uid: number;
  modseq: number;
  sysflags: number;
  keywords: string;
  internal_date: number;
  size: number;
  blob_id: number;
  thread_id: string;
  expires: number | null;
  prefix: Buffer | null;
}
