/** Users: update, delete, logout, password reset, quota recalculation. */
import { z } from 'zod';
import { generateAppPassword } from '../../security/app-passwords.js';
import type { AppContext } from '../../server/context.js';
import type { Id } from '../../storage/types.js';
import { ApiError, invalidField } from '../errors.js';
import { defineRoute } from '../router.js';
import { bool, date, successSchema, text } from '../schemas.js';
import { audit, requireUser, userParams } from './common.js';
import { checkPubKey, settingsFrom, userSettingsFields } from './user-view.js';

const tags = ['Users'];

/** Ends the user's sessions here and, through the notifier, in every other process. */
export function logoutEverywhere(app: AppContext, userId: Id, reason: string): number {
  const closed = app.sessions.closeUser(userId, reason);
  app.notifier.publish([{ userId, mailboxId: '', kind: 'logout' }]);
  return closed;
}

const updateUser = defineRoute({
  method: 'PUT',
  path: '/users/:user',
  summary: 'Update a user',
  description: 'When `existingPassword` is given it must match before anything changes. A new password clears requirePasswordChange.',
  tags,
  params: userParams,
  body: z.object({
    existingPassword: text(256, 1).optional(),
    password: z.union([text(256), z.literal(false)], { error: 'must be a string, or false to remove the password' }).optional(),
    hashedPassword: bool().optional(),
    disable2fa: bool().optional(),
    disabled: bool().optional(),
    suspended: bool().optional(),
    requirePasswordChange: bool().optional(),
    ...userSettingsFields,
  }),
  response: successSchema,
  async handler({ params, body, deps, meta }) {
    const user = await requireUser(deps, params.user);
    const store = deps.app.store;
    if (body.existingPassword !== undefined) {
      const phc = await store.accounts.getPasswordHash(user.id);
      if (!phc || !(await deps.app.login.verifyHash(phc, body.existingPassword))) {
        await deps.security.record(user.id, 'password change', 'fail', audit(meta), { reason: 'existing password mismatch' });
        throw new ApiError(403, 'AuthFailed', 'Password verification failed');
      }
    }
    await checkPubKey(body.pubKey);
    if (body.password !== undefined) {
      let hash: string | null = null;
      if (body.password !== false && body.password !== '') {
        if (body.hashedPassword && !/^\$argon2(id|i|d)\$/.test(body.password)) throw invalidField('password', 'must be an argon2 PHC string when hashedPassword is set');
        hash = body.hashedPassword ? body.password : await deps.app.login.hash(body.password);
      }
      await store.accounts.setPasswordHash(user.id, hash, false);
      await deps.security.record(user.id, 'password change', 'success', audit(meta), { removed: hash === null });
    }
    if (body.disable2fa) await deps.security.disableTotp(user.id, audit(meta), 'disable 2fa');
    await store.accounts.updateUser(user.id, {
      name: body.name,
      quota: body.quota,
      tags: body.tags,
      disabled: body.disabled,
      suspended: body.suspended,
      requirePasswordChange: body.password === undefined ? body.requirePasswordChange : undefined,
      settings: settingsFrom(body),
    });
    return { success: true };
  },
});

const deleteUser = defineRoute({
  method: 'DELETE',
  path: '/users/:user',
  summary: 'Delete a user and all its data',
  description: 'Removes the user, its addresses, mailboxes, messages, archive, filters, autoreply, app passwords, 2FA and auth log, and logs it out everywhere.',
  tags,
  params: userParams,
  response: successSchema,
  async handler({ params, deps }) {
    await requireUser(deps, params.user);
    // deleteUser journals a logout event, which reaches other processes through the notifier.
    await deps.app.store.accounts.deleteUser(params.user);
    deps.app.sessions.closeUser(params.user, 'Account deleted');
    return { success: true };
  },
});

const logoutUser = defineRoute({
  method: 'PUT',
  path: '/users/:user/logout',
  summary: 'Log the user out of every IMAP and POP3 session, in every process',
  tags,
  params: userParams,
  body: z.object({ reason: text(128).optional().meta({ description: 'Text shown to connected IMAP clients' }) }),
  response: successSchema,
  async handler({ params, body, deps, meta }) {
    await requireUser(deps, params.user);
    logoutEverywhere(deps.app, params.user, body.reason || 'Logout requested from API');
    await deps.security.record(params.user, 'logout', 'success', audit(meta));
    return { success: true };
  },
});

const resetPassword = defineRoute({
  method: 'POST',
  path: '/users/:user/password/reset',
  summary: 'Reset the password to a generated one',
  description: 'Returns a new password the user must change (requirePasswordChange), and removes 2FA as WildDuck does.',
  tags,
  params: userParams,
  body: z.object({ validAfter: date().optional().meta({ description: 'Accepted for compatibility; the password is valid at once' }) }),
  response: z.object({ success: z.boolean(), password: z.string(), validAfter: z.string() }),
  async handler({ params, deps, meta }) {
    const user = await requireUser(deps, params.user);
    const password = generateAppPassword();
    await deps.app.store.accounts.setPasswordHash(user.id, await deps.app.login.hash(password), true);
    await deps.security.disableTotp(user.id, audit(meta), 'disable 2fa');
    await deps.security.record(user.id, 'password reset', 'success', audit(meta));
    return { success: true, password, validAfter: new Date().toISOString() };
  },
});

const resetQuota = defineRoute({
  method: 'POST',
  path: '/users/:user/quota/reset',
  summary: 'Recalculate the storage used by a user',
  tags,
  params: userParams,
  response: z.object({ success: z.boolean(), storageUsed: z.number(), previousStorageUsed: z.number() }),
  async handler({ params, deps }) {
    const user = await requireUser(deps, params.user);
    const storageUsed = await deps.app.store.quota.recalculate(user.id);
    return { success: true, storageUsed, previousStorageUsed: user.storageUsed };
  },
});

export const userUpdateRoutes = [updateUser, deleteUser, logoutUser, resetPassword, resetQuota];
