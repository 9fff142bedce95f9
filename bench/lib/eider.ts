import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

export interface EiderProcess {
  pid: number;
  imapPort: number;
  pop3Port: number;
  lmtpPort: number;
  apiPort: number;
  /** Waits until the server's background full-text indexer has caught up (searches then hit the index alone). */
  textIndexSettled(): Promise<void>;
  stop(): Promise<void>;
}

/** Polls the data directory's index progress against its queue, read-only, from outside the server. */
export async function waitForTextIndex(dataDir: string, pollMs = 500): Promise<void> {
  for (;;) {
    const main = new Database(join(dataDir, 'eider.sqlite'), { readonly: true });
    const text = new Database(join(dataDir, 'text.sqlite'), { readonly: true });
    try {
      const queued = main.prepare<[], { n: number | null }>('SELECT max(id) AS n FROM text_queue').get()?.n ?? 0;
      const done = Number(text.prepare<[], { value: string }>("SELECT value FROM text_state WHERE key = 'done'").get()?.value ?? 0);
      if (done >= queued) return;
    } finally {
      main.close();
      text.close();
    }
    await sleep(pollMs);
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Runs `eider start` from this build as a separate process (so its RSS and
 * CPU are its own), on fresh ports, with a persistent data directory and a
 * benchmark user.
 */
export async function startEider(options: { dataDir: string; user: string; pass: string; env?: Record<string, string> }): Promise<EiderProcess> {
  mkdirSync(options.dataDir, { recursive: true });
  const [imapPort, pop3Port, lmtpPort, apiPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('EIDER_')) env[k] = v;
  Object.assign(env, {
    EIDER_STORAGE_DATADIR: options.dataDir,
    EIDER_IMAP_PORT: String(imapPort),
    EIDER_POP3_PORT: String(pop3Port),
    EIDER_LMTP_PORT: String(lmtpPort),
    EIDER_API_PORT: String(apiPort),
    EIDER_LOG_LEVEL: 'info',
    EIDER_IMAP_MAXCONNECTIONSPERUSER: '1000',
    EIDER_IMAP_MAXCONNECTIONSPERIP: '1000',
    EIDER_POP3_MAXCONNECTIONSPERUSER: '1000',
    EIDER_POP3_MAXCONNECTIONSPERIP: '1000',
    ...options.env,
  });
  spawnSync(process.execPath, [cli, 'user', 'add', options.user, '--password', options.pass, '--address', `${options.user}@localhost`], {
    env,
    stdio: 'ignore',
  });
  const proc = spawn(process.execPath, [cli, 'start'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  let ready = false;
  await new Promise<void>((resolve, reject) => {
    // Keep draining stderr after ready (a full pipe would stall the server), but stop keeping it.
    proc.stderr!.on('data', (d: Buffer) => {
      if (ready) return;
      log += d.toString();
      if (log.includes('eider.ready')) {
        ready = true;
        resolve();
      }
    });
    proc.on('exit', (code) => reject(new Error(`eider exited ${code}: ${log}`)));
  });
  return {
    pid: proc.pid!,
    imapPort,
    pop3Port,
    lmtpPort,
    apiPort,
    textIndexSettled: () => waitForTextIndex(options.dataDir),
    stop: () =>
      new Promise<void>((resolve) => {
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}
