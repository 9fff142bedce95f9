import type { Redis } from 'ioredis';
import type { AuthConfig } from '../config/schema.js';
import type { CoordinationStore } from '../storage/interface.js';

/** Fixed-window counters, shared by every process using the same backend. */
export interface CounterBackend {
  increment(key: string, windowMs: number): Promise<number>;
  get(key: string): Promise<number>;
  reset(key: string): Promise<void>;
}

/** The embedded default: counters in the store, so processes sharing a data directory share limits. */
export function storeCounters(store: CoordinationStore): CounterBackend {
  return {
    increment: (key, windowMs) => store.increment(key, windowMs),
    get: (key) => store.counter(key),
    reset: (key) => store.resetCounter(key),
  };
}

/** Redis counters (INCR + PEXPIRE on first hit), for deployments across machines. */
export function redisCounters(redis: Redis, prefix: string): CounterBackend {
  return {
    async increment(key, windowMs) {
      const k = prefix + key;
      const [[, count]] = (await redis.multi().incr(k).pexpire(k, windowMs, 'NX').exec()) as [[Error | null, number]];
      return count;
    },
    async get(key) {
      return Number((await redis.get(prefix + key)) ?? 0);
    },
    async reset(key) {
      await redis.del(prefix + key);
    },
  };
}

/**
 * Failed-login limits per user and per client IP. Only failures are counted,
 * so a correct password never costs a write; a success clears the user's count.
 */
export class LoginLimiter {
  constructor(
    private readonly counters: CounterBackend,
    private readonly config: Pick<AuthConfig, 'maxFailuresPerUser' | 'maxFailuresPerIp' | 'failureWindow'>,
  ) {}

  private userKey(user: string): string {
    return `authfail:u:${user.toLowerCase()}`;
  }
  private ipKey(ip: string): string {
    return `authfail:ip:${ip}`;
  }

  /** True when further attempts for this user or from this IP must be refused for now. */
  async blocked(user: string | null, ip: string): Promise<boolean> {
    const [u, i] = await Promise.all([user ? this.counters.get(this.userKey(user)) : Promise.resolve(0), this.counters.get(this.ipKey(ip))]);
    return u >= this.config.maxFailuresPerUser || i >= this.config.maxFailuresPerIp;
  }

  async fail(user: string | null, ip: string): Promise<void> {
    const windowMs = this.config.failureWindow * 1000;
    await Promise.all([user ? this.counters.increment(this.userKey(user), windowMs) : Promise.resolve(0), this.counters.increment(this.ipKey(ip), windowMs)]);
  }

  async succeed(user: string): Promise<void> {
    await this.counters.reset(this.userKey(user));
  }
}
