import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The compiled CLI entry next to the compiled tests (works from dist/ or any .build dir). */
export const cliPath = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

/** Environment for a child eider: the parent's, minus any EIDER_* the developer had set. */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('EIDER_')) env[k] = v;
  return { ...env, ...extra };
}

export function runCli(args: string[], env: Record<string, string>): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cliPath, ...args], { env: childEnv(env), encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export interface RunningServer {
  proc: ChildProcess;
  /** Log text so far. */
  log(): string;
  /** Resolves with the ready line once all listeners are up. */
  ready: Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `eider start` as a child process; `ready` resolves on its "eider.ready" log line. */
export function startCli(env: Record<string, string>, args: string[] = []): RunningServer {
  const proc = spawn(process.execPath, [cliPath, ...args, 'start'], { env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  let resolveReady: (line: string) => void;
  let rejectReady: (err: Error) => void;
  const ready = new Promise<string>((res, rej) => {
    resolveReady = res;
    rejectReady = rej;
  });
  const onData = (d: Buffer) => {
    log += d.toString();
    const line = log.split('\n').find((l) => l.includes('eider.ready'));
    if (line) resolveReady(line);
  };
  proc.stdout!.on('data', onData);
  proc.stderr!.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    proc.on('exit', (code, signal) => {
      rejectReady(new Error(`eider exited (${code ?? signal}) before ready:\n${log}`));
      resolve({ code, signal });
    });
  });
  ready.catch(() => undefined);
  return { proc, log: () => log, ready, exited };
}
