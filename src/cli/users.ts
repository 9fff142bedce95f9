import { createHasher } from '../auth/passwords.js';
import type { Config } from '../config/schema.js';
import { openStore } from '../storage/index.js';
import { StorageError } from '../storage/errors.js';
import { parseBytes, UsageError, type Parsed } from './args.js';

/** `eider user ...`: works on the data directory directly, safe while a server runs on it. */
export async function userCommand(config: Config, args: Parsed, out: (line: string) => void): Promise<void> {
  const [, sub, username] = args.command;
  const store = openStore(config.storage);
  const hasher = createHasher(config.auth);
  try {
    switch (sub) {
      case 'add': {
        if (!username) throw new UsageError('user add needs a username');
        if (args.options.password === undefined) throw new UsageError('user add needs --password');
        const user = await store.accounts.createUser({
          username,
          passwordHash: await hasher.hash(args.options.password),
          address: args.options.address,
          quota: args.options.quota ? parseBytes(args.options.quota) : 0,
          name: args.options.name,
        });
        const boxes = await store.mailboxes.listMailboxes(user.id);
        out(`created user ${user.username} (${user.id})${user.address ? ` <${user.address}>` : ''}; mailboxes: ${boxes.map((b) => b.path).join(', ')}`);
        return;
      }
      case 'list': {
        let next: string | undefined;
        do {
          const page = await store.accounts.listUsers({ limit: 250, next });
          for (const u of page.results) {
            out(`${u.id}  ${u.username}  ${u.address ?? '-'}  used=${u.storageUsed} quota=${u.quota || 'unlimited'}${u.disabled ? '  disabled' : ''}`);
          }
          next = page.next ?? undefined;
        } while (next);
        return;
      }
      case 'passwd': {
        if (!username) throw new UsageError('user passwd needs a username');
        if (args.options.password === undefined) throw new UsageError('user passwd needs --password');
        const user = await store.accounts.getUserByUsername(username);
        if (!user) throw new UsageError(`no such user: ${username}`);
        await store.accounts.setPasswordHash(user.id, await hasher.hash(args.options.password), false);
        out(`password changed for ${user.username}`);
        return;
      }
      case 'del': {
        if (!username) throw new UsageError('user del needs a username');
        const user = await store.accounts.getUserByUsername(username);
        if (!user) throw new UsageError(`no such user: ${username}`);
        await store.accounts.deleteUser(user.id);
        out(`deleted user ${user.username}`);
        return;
      }
      default:
        throw new UsageError(`unknown user command: ${sub ?? '(none)'}`);
    }
  } catch (err) {
    if (err instanceof StorageError) throw new UsageError(err.message);
    throw err;
  } finally {
    await store.close();
  }
}
