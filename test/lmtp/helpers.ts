/** Shared pieces of the LMTP tests: a started app, a dialogue client, message access through storage. */
import { spawn } from 'node:child_process';
import type { Store } from '../../src/storage/interface.js';
import type { MessageRecord } from '../../src/storage/types.js';
import { startTestApp, type ConfigOverrides, type TestApp } from '../helpers/app.js';
import { Transcript } from '../helpers/transcript.js';

export async function lmtpApp(overrides: ConfigOverrides = {}): Promise<TestApp> {
  return startTestApp(['lmtp'], overrides);
}

/** Dot-stuffs a message and appends the terminator (RFC 5321 §4.5.2). */
export function dataBlock(raw: Buffer): Buffer {
  const text = raw.toString('latin1').replace(/(^|\n)\./g, '$1..');
  return Buffer.concat([Buffer.from(text, 'latin1'), Buffer.from(text.endsWith('\r\n') ? '.\r\n' : '\r\n.\r\n')]);
}

/** Connects and completes the greeting and LHLO; returns the client and the LHLO lines. */
export async function connectLmtp(port: number): Promise<{ t: Transcript; lhlo: string[] }> {
  const t = await Transcript.connect(port);
  await t.expect(/^220 /);
  t.send('LHLO client.example');
  const lhlo = await t.until(/^250 /);
  return { t, lhlo };
}

/** One transaction: MAIL, RCPTs (their replies returned), DATA with one reply per accepted recipient. */
export async function transaction(
  t: Transcript,
  from: string,
  rcpts: string[],
  raw: Buffer,
): Promise<{ rcpt: string[]; data: string[] }> {
  t.send(`MAIL FROM:<${from}>`);
  await t.expect(/^250 /);
  const rcpt: string[] = [];
  for (const r of rcpts) {
    t.send(`RCPT TO:<${r}>`);
    rcpt.push(await t.line());
  }
  const accepted = rcpt.filter((l) => l.startsWith('250')).length;
  if (accepted === 0) {
    t.send('RSET');
    await t.expect(/^250 /);
    return { rcpt, data: [] };
  }
  t.send('DATA');
  await t.expect(/^354 /);
  t.write(dataBlock(raw));
  const data: string[] = [];
  for (let i = 0; i < accepted; i++) data.push(await t.line());
  return { rcpt, data };
}

export async function mailboxMessages(store: Store, userId: string, path: string): Promise<MessageRecord[]> {
  const box = await store.mailboxes.getMailbox(userId, path);
  if (!box) throw new Error(`no mailbox ${path}`);
  return store.messages.getRecords(box.id, [...(await store.messages.uids(box.id))]);
}

export async function readMessage(store: Store, record: MessageRecord): Promise<string> {
  return (await store.messages.read(record)).toString('utf8');
}

/** Runs a program without blocking the event loop (the server under test lives in this process). */
export function runProcess(command: string, args: string[], timeoutMs = 30_000): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}
