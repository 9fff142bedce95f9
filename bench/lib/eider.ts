import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

export interface EiderProcess {
  pid: number;
  imapPort: number;
  pop3Port: number;
  lmtpPort: number;
  apiPort: number;
  stop(): Promise<void>;
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
    stop: () =>
      new Promise<void>((resolve) => {
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}
