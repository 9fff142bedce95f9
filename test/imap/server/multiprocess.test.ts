/**
 * Two eider processes on one data directory: an APPEND in one wakes IDLE in
 * the other within a second through Redis, and (slower) through the
 * journal poll when there is no Redis.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../../helpers/app.js';
import { startCli, type RunningServer } from '../../helpers/cli.js';
import { textMessage } from '../../helpers/messages.js';
import { freePort, redisSkip, startRedis, type RedisServer } from '../../helpers/redis.js';
import { tempDir } from '../../helpers/tmp.js';
import { connectImap, PASSWORD, type ImapClient } from './helpers.js';

interface Pair {
  first: TestApp;
  second: RunningServer;
  secondPort: number;
  cleanup(): Promise<void>;
}

/** Process 1 is this one (in-process app); process 2 is `eider start` as a child, same data directory. */
async function startPair(extraEnv: Record<string, string>, redisUrl: string): Promise<Pair> {
  const dir = tempDir('eider-two-');
  const first = await startTestApp(['imap'], { storage: { dataDir: dir.path }, redis: { url: redisUrl } });
  const secondPort = await freePort();
  const second = startCli({
    EIDER_STORAGE_DATADIR: dir.path,
    EIDER_REDIS_URL: redisUrl,
    EIDER_IMAP_PORT: String(secondPort),
    EIDER_POP3_ENABLED: 'false',
    EIDER_LMTP_ENABLED: 'false',
    EIDER_API_ENABLED: 'false',
    EIDER_LOG_LEVEL: 'info',
    ...extraEnv,
  });
  await second.ready;
  return {
    first,
    second,
    secondPort,
    async cleanup() {
      second.proc.kill('SIGTERM');
      await second.exited;
      await first.stop();
      dir.cleanup();
    },
  };
}

async function appendThenWaitForExists(pair: Pair): Promise<number> {
  await pair.first.addUser('carol', PASSWORD);
  const idler: ImapClient = await connectImap(pair.secondPort, { user: 'carol', password: PASSWORD });
  const writer: ImapClient = await connectImap(pair.first.port('imap'), { user: 'carol', password: PASSWORD });
  try {
    await idler.ok('SELECT INBOX');
    idler.t.send('i IDLE');
    await idler.t.expect(/^\+ idling/);
    const msg = textMessage({ subject: 'across processes' });
    writer.t.write(Buffer.concat([Buffer.from(`a APPEND INBOX {${msg.length}+}\r\n`), msg, Buffer.from('\r\n')]));
    await writer.reply('a');
    const appended = Date.now();
    await idler.t.expect(/^\* 1 EXISTS$/);
    const elapsed = Date.now() - appended;
    idler.t.send('DONE');
    await idler.reply('i');
    return elapsed;
  } finally {
    idler.close();
    writer.close();
  }
}

const skip = redisSkip();
describe('two processes with Redis', { skip }, () => {
  let redis: RedisServer | null = null;
  after(async () => redis?.stop());

  it('an APPEND in process 1 wakes IDLE in process 2 within a second', async () => {
    redis = await startRedis();
    // Polling off: only the Redis notification can wake the idler.
    const pair = await startPair({ EIDER_IMAP_IDLEPOLLINTERVAL: '0' }, redis.url);
    try {
      const elapsed = await appendThenWaitForExists(pair);
      assert.ok(elapsed < 1000, `woke after ${elapsed} ms`);
    } finally {
      await pair.cleanup();
    }
  });
});

describe('two processes without Redis', () => {
  it('the journal poll wakes IDLE in the other process', async () => {
    const pair = await startPair({ EIDER_IMAP_IDLEPOLLINTERVAL: '0.2' }, '');
    try {
      const elapsed = await appendThenWaitForExists(pair);
      assert.ok(elapsed < 5000, `woke after ${elapsed} ms`);
    } finally {
      await pair.cleanup();
    }
  });
});
