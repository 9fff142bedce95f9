/** How users look in responses (WildDuck's field names), and the user settings both create and update accept. */
import { readKey } from 'openpgp';
import { z } from 'zod';
import type { UserSettings, User } from '../../storage/types.js';
import { invalidField } from '../errors.js';
import type { ApiDeps } from '../router.js';
import { bool, int, list, metaData, scopeEnum, size, tag, text } from '../schemas.js';
import { isForwardTarget } from './common.js';

const count = () => int(0, 1_000_000_000);

/** Fields POST and PUT /users share (all optional here). */
export const userSettingsFields = {
  name: text(256).optional(),
  language: text(20).optional(),
  retention: size().optional().meta({ description: 'Default retention of messages, ms (0 keeps forever)' }),
  quota: size().optional().meta({ description: 'Storage quota, bytes (0: unlimited)' }),
  tags: list(tag(), 100).optional(),
  targets: list(text(512).refine(isForwardTarget, { error: 'must be an email address or an smtp(s)/http(s) URL' }), 100).optional(),
  spamLevel: int(0, 100).optional(),
  recipients: count().optional().meta({ description: 'Messages per 24 hours the user may send' }),
  forwards: count().optional().meta({ description: 'Messages per 24 hours that may be forwarded' }),
  receivedMax: count().optional(),
  imapMaxConnections: count().optional(),
  pubKey: text(65536).optional().meta({ description: 'ASCII-armored PGP public key; "" removes it' }),
  encryptMessages: bool().optional(),
  encryptForwarded: bool().optional(),
  disabledScopes: list(scopeEnum, 3).optional(),
  metaData: metaData().optional(),
  internalData: metaData().optional(),
};

type SettingsInput = {
  language?: string | undefined;
  retention?: number | undefined;
  targets?: string[] | undefined;
  spamLevel?: number | undefined;
  recipients?: number | undefined;
  forwards?: number | undefined;
  receivedMax?: number | undefined;
  imapMaxConnections?: number | undefined;
  pubKey?: string | undefined;
  encryptMessages?: boolean | undefined;
  encryptForwarded?: boolean | undefined;
  disabledScopes?: string[] | undefined;
  metaData?: Record<string, unknown> | undefined;
  internalData?: Record<string, unknown> | undefined;
};

/** Request fields → the settings document (WildDuck's `targets` are Eider's forwards, its `forwards` count the forward limit). */
export function settingsFrom(input: SettingsInput): Partial<UserSettings> {
  const out: Partial<UserSettings> = {};
  const put = <K extends keyof UserSettings>(key: K, value: UserSettings[K] | undefined) => {
    if (value !== undefined) out[key] = value;
  };
  put('language', input.language);
  put('retention', input.retention);
  put('forwards', input.targets);
  put('spamLevel', input.spamLevel);
  put('recipients', input.recipients);
  put('forwardLimit', input.forwards);
  put('receivedMax', input.receivedMax);
  put('imapMaxConnections', input.imapMaxConnections);
  put('encryptMessages', input.encryptMessages);
  put('encryptForwarded', input.encryptForwarded);
  put('disabledScopes', input.disabledScopes ? [...new Set(input.disabledScopes)] : undefined);
  put('metaData', input.metaData);
  put('internalData', input.internalData);
  if (input.pubKey !== undefined) out.pubKey = input.pubKey.trim() || undefined;
  return out;
}

export interface KeyInfo {
  name: string;
  address: string;
  fingerprint: string;
}

/** Parses an armored public key; null for "", a 400 naming pubKey for anything that is not one. */
export async function checkPubKey(armored: string | undefined): Promise<KeyInfo | null> {
  if (!armored || !armored.trim()) return null;
  if (!/^-----BEGIN PGP PUBLIC KEY BLOCK-----/.test(armored.trim())) throw invalidField('pubKey', 'must be an ASCII-armored PGP public key');
  try {
    const key = await readKey({ armoredKey: armored });
    if (key.isPrivate()) throw new Error('private key');
    let name = '';
    let address = '';
    try {
      const primary = await key.getPrimaryUser();
      name = primary.user.userID?.name ?? '';
      address = primary.user.userID?.email ?? '';
    } catch {
      // a key without a valid self-signed user id still encrypts
    }
    return { name, address, fingerprint: key.getFingerprint() };
  } catch {
    throw invalidField('pubKey', 'PGP key validation failed');
  }
}

const quotaOut = z.object({ allowed: z.number(), used: z.number() });
const limitOut = z.object({ allowed: z.number(), used: z.number(), ttl: z.union([z.number(), z.literal(false)]) });

export const userListItem = z.object({
  id: z.string(),
  username: z.string(),
  name: z.string(),
  address: z.string().nullable(),
  tags: z.array(z.string()),
  targets: z.array(z.string()),
  enabled2fa: z.array(z.string()),
  autoreply: z.boolean(),
  encryptMessages: z.boolean(),
  encryptForwarded: z.boolean(),
  quota: quotaOut,
  hasPasswordSet: z.boolean(),
  activated: z.boolean(),
  disabled: z.boolean(),
  suspended: z.boolean(),
  metaData: z.record(z.string(), z.unknown()).optional(),
  internalData: z.record(z.string(), z.unknown()).optional(),
});

export const userDetail = userListItem.omit({ quota: true }).extend({
  success: z.boolean(),
  language: z.string().optional(),
  retention: z.union([z.number(), z.literal(false)]),
  pubKey: z.string(),
  keyInfo: z.union([z.object({ name: z.string(), address: z.string(), fingerprint: z.string() }), z.literal(false)]),
  spamLevel: z.number(),
  metaData: z.record(z.string(), z.unknown()),
  internalData: z.record(z.string(), z.unknown()),
  limits: z.object({ quota: quotaOut, recipients: limitOut, forwards: limitOut, received: limitOut, imapMaxConnections: quotaOut }),
  disabledScopes: z.array(z.string()),
  requirePasswordChange: z.boolean(),
  created: z.string(),
});

async function flags(deps: ApiDeps, user: User): Promise<{ enabled2fa: string[]; autoreply: boolean }> {
  const [totp, autoreply] = await Promise.all([deps.security.totpEnabled(user.id), deps.app.store.autoreplies.get(user.id)]);
  return { enabled2fa: totp ? ['totp'] : [], autoreply: autoreply?.status === true };
}

export async function listItem(deps: ApiDeps, user: User, extra: { metaData?: boolean; internalData?: boolean }): Promise<z.input<typeof userListItem>> {
  const s = user.settings;
  const item: z.input<typeof userListItem> = {
    id: user.id,
    username: user.username,
    name: user.name,
    address: user.address,
    tags: user.tags,
    targets: s.forwards ?? [],
    ...(await flags(deps, user)),
    encryptMessages: s.encryptMessages === true,
    encryptForwarded: s.encryptForwarded === true,
    quota: { allowed: user.quota, used: user.storageUsed },
    hasPasswordSet: user.hasPassword,
    activated: true,
    disabled: user.disabled,
    suspended: user.suspended,
  };
  if (extra.metaData) item.metaData = s.metaData ?? {};
  if (extra.internalData) item.internalData = s.internalData ?? {};
  return item;
}

export async function detail(deps: ApiDeps, user: User): Promise<z.input<typeof userDetail>> {
  const s = user.settings;
  let keyInfo: KeyInfo | false = false;
  try {
    keyInfo = (await checkPubKey(s.pubKey)) ?? false;
  } catch {
    keyInfo = false;
  }
  const limit = (allowed: number | undefined) => ({ allowed: allowed ?? 0, used: 0, ttl: false as const });
  const out: z.input<typeof userDetail> = {
    success: true,
    id: user.id,
    username: user.username,
    name: user.name,
    address: user.address,
    retention: s.retention ? s.retention : false,
    ...(await flags(deps, user)),
    encryptMessages: s.encryptMessages === true,
    encryptForwarded: s.encryptForwarded === true,
    pubKey: s.pubKey ?? '',
    keyInfo,
    spamLevel: s.spamLevel ?? 50,
    metaData: s.metaData ?? {},
    internalData: s.internalData ?? {},
    targets: s.forwards ?? [],
    limits: {
      quota: { allowed: user.quota, used: user.storageUsed },
      recipients: limit(s.recipients),
      forwards: limit(s.forwardLimit),
      received: limit(s.receivedMax),
      imapMaxConnections: { allowed: s.imapMaxConnections ?? deps.app.config.imap.maxConnectionsPerUser, used: deps.app.sessions.count(user.id, 'imap') },
    },
    tags: user.tags,
    disabledScopes: s.disabledScopes ?? [],
    hasPasswordSet: user.hasPassword,
    requirePasswordChange: user.requirePasswordChange,
    activated: true,
    disabled: user.disabled,
    suspended: user.suspended,
    created: user.created.toISOString(),
  };
  if (s.language) out.language = s.language;
  return out;
}
