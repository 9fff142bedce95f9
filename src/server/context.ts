import type { Config } from '../config/schema.js';
import type { LoginService } from '../auth/login.js';
import type { Logger } from '../log/logger.js';
import type { Notifier } from '../notify/notifier.js';
import type { Store } from '../storage/interface.js';
import type { TlsMaterial } from './tls.js';

/**
 * What every server module is built from. Modules take the parts they need
 * (and their own config section) as arguments; nothing reaches for globals.
 */
export interface AppContext {
  config: Config;
  logger: Logger;
  store: Store;
  notifier: Notifier;
  login: LoginService;
  tls: TlsMaterial;
  /** Server secret (signing loop markers and similar); from config or generated once into the data directory. */
  secret: Buffer;
  /** Registry of live protocol sessions, so the API can log a user out everywhere. */
  sessions: SessionRegistry;
}

export interface ListenAddress {
  service: string;
  address: string;
  port: number | null;
  /** Unix socket path, when listening on one. */
  path?: string;
  tls?: boolean;
}

/** A protocol server or the API: started and stopped by the app. */
export interface Service {
  readonly name: string;
  /** Starts listening; resolves with what it bound. */
  start(): Promise<ListenAddress[]>;
  /**
   * Stops accepting, lets in-flight commands and deliveries finish until
   * `deadline` (ms since epoch), then closes what is left.
   */
  stop(deadline: number): Promise<void>;
}

export interface LiveSession {
  id: string;
  protocol: string;
  userId: string;
  /** Ends the session (e.g. with an untagged BYE); must be idempotent. */
  close(reason: string): void;
}

/** Local sessions by user. Cross-process logout goes through the notifier ('logout' events). */
export class SessionRegistry {
  private readonly byUser = new Map<string, Set<LiveSession>>();

  add(session: LiveSession): () => void {
    let set = this.byUser.get(session.userId);
    if (!set) this.byUser.set(session.userId, (set = new Set()));
    set.add(session);
    return () => {
      set.delete(session);
      if (set.size === 0) this.byUser.delete(session.userId);
    };
  }

  count(userId: string, protocol?: string): number {
    const set = this.byUser.get(userId);
    if (!set) return 0;
    if (!protocol) return set.size;
    let n = 0;
    for (const s of set) if (s.protocol === protocol) n++;
    return n;
  }

  closeUser(userId: string, reason: string): number {
    const set = this.byUser.get(userId);
    if (!set) return 0;
    const list = [...set];
    for (const s of list) s.close(reason);
    return list.length;
  }
}
