import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../../src/log/logger.js';
import { MemoryNotifier } from '../../src/notify/memory.js';
import { RedisNotifier } from '../../src/notify/redis.js';
import type { ChangeEvent } from '../../src/storage/types.js';
import { redisSkip, startRedis, type RedisServer } from '../helpers/redis.js';
import { EventEmitter } from 'node:events';

function collector() {
  const events: ChangeEvent[] = [];
  const bus = new EventEmitter();
  return {
    events,
    listener: (e: ChangeEvent) => {
      events.push(e);
      bus.emit('event', e);
    },
    next: async () => ((await once(bus, 'event')) as [ChangeEvent])[0],
  };
}

const ev = (userId: string, uid: number): ChangeEvent => ({ userId, mailboxId: 'm1', kind: 'exists', uid, modseq: uid + 1, journalId: uid });

describe('memory notifier', () => {
  it('hands one commit’s events to each listener together, in order, per user', async () => {
    const n = new MemoryNotifier(silentLogger);
    const a = collector();
    const b = collector();
    const c = collector();
    n.subscribe('u1', a.listener);
    n.subscribe('u1', b.listener);
    n.subscribe('u2', c.listener);
    const batch = [ev('u1', 1), ev('u2', 2), ev('u1', 3), ev('u3', 4), ev('u1', 5)];
    n.publish(batch);
    // One task per listener: once the first event of a batch arrived, the rest of it has too.
    await a.next();
    assert.deepEqual(a.events.map((e) => e.uid), [1, 3, 5]);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(b.events.map((e) => e.uid), [1, 3, 5]);
    assert.deepEqual(c.events.map((e) => e.uid), [2]);
    await n.close();
  });

  it('delivers to the user’s subscribers only, asynchronously', async () => {
    const n = new MemoryNotifier(silentLogger);
    const a = collector();
    const b = collector();
    n.subscribe('u1', a.listener);
    n.subscribe('u2', b.listener);
    const got = a.next();
    n.publish([ev('u1', 1)]);
    assert.equal(a.events.length, 0, 'publish does not call listeners synchronously');
    assert.equal((await got).uid, 1);
    assert.equal(b.events.length, 0);
    await n.close();
  });

  it('stops after unsubscribe and isolates a throwing listener', async () => {
    const n = new MemoryNotifier(silentLogger);
    const good = collector();
    const unsubscribe = n.subscribe('u1', () => {
      throw new Error('boom');
    });
    n.subscribe('u1', good.listener);
    const got = good.next();
    n.publish([ev('u1', 1)]);
    assert.equal((await got).uid, 1);
    unsubscribe();
    const again = good.next();
    n.publish([ev('u1', 2)]);
    assert.equal((await again).uid, 2);
    await n.close();
  });
});

const skip = redisSkip();
describe('redis notifier', { skip }, () => {
  let redis: RedisServer;
  before(async () => {
    redis = await startRedis();
  });
  after(async () => redis?.stop());

  const config = () => ({ url: redis.url, prefix: `eider-test-${process.pid}:` });

  it('delivers across notifiers (processes) once, and locally once', async () => {
    const p1 = new RedisNotifier(config(), silentLogger);
    const p2 = new RedisNotifier(config(), silentLogger);
    await Promise.all([p1.ready(), p2.ready()]);
    const local = collector();
    const remote = collector();
    p1.subscribe('u1', local.listener);
    p2.subscribe('u1', remote.listener);
    // The subscription reaches Redis asynchronously; publish until it is heard.
    const heard = remote.next();
    let i = 0;
    const timer = setInterval(() => p1.publish([ev('u1', ++i)]), 20);
    const first = await heard;
    clearInterval(timer);
    assert.ok(first.uid! >= 1);
    const mark = remote.events.length;
    const gotLocal = local.events.length;
    const next = remote.next();
    p1.publish([ev('u1', 1000)]);
    assert.equal((await next).uid, 1000);
    assert.equal(remote.events.length, mark + 1);
    assert.equal(local.events.filter((e) => e.uid === 1000).length, 1, 'no echo of own events');
    assert.ok(local.events.length >= gotLocal);
    await Promise.all([p1.close(), p2.close()]);
  });

  it('tells listeners to resync after Redis comes back', async () => {
    const n = new RedisNotifier(config(), silentLogger);
    await n.ready();
    const resynced = new Promise<void>((resolve) => n.onResync(resolve));
    await redis.restart();
    await resynced;
    await n.close();
  });
});
