/**
 * COMPRESS=DEFLATE (RFC 4978) over a real socket: the client side here is
 * node:zlib's raw DEFLATE with Z_SYNC_FLUSH after each command, as RFC 4978
 * §4 clients do.
 */
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { constants, createDeflateRaw, createInflateRaw, type DeflateRaw } from 'node:zlib';
import { textMessage } from '../../helpers/messages.js';
import { imapFixture, PASSWORD, type ImapFixture } from './helpers.js';

/** A minimal IMAP client over a socket that can switch to DEFLATE; reads whole lines, literals included. */
class Wire {
  private buf = Buffer.alloc(0);
  private waiter: (() => void) | null = null;
  private deflate: DeflateRaw | null = null;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (d: Buffer) => this.feed(d));
  }

  static async open(port: number): Promise<Wire> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    return new Wire(socket);
  }

  private feed(d: Buffer): void {
    this.buf = Buffer.concat([this.buf, d]);
    this.waiter?.();
  }

  /** From here on, both directions are raw DEFLATE. */
  compress(): void {
    // Uncompressed bytes already read stay; whatever arrives next is inflated first.
    const inflate = createInflateRaw();
    this.socket.removeAllListeners('data');
    this.socket.pipe(inflate);
    inflate.on('data', (d: Buffer) => this.feed(d));
    this.deflate = createDeflateRaw();
    this.deflate.pipe(this.socket);
  }

  send(text: string | Buffer): void {
    const data = typeof text === 'string' ? Buffer.from(text, 'latin1') : text;
    if (this.deflate) {
      this.deflate.write(data);
      this.deflate.flush(constants.Z_SYNC_FLUSH);
    } else {
      this.socket.write(data);
    }
  }

  /** Everything up to and including the line starting with `tag `. */
  async until(tag: string): Promise<string> {
    for (;;) {
      const text = this.buf.toString('latin1');
      const m = new RegExp(`(^|\\r\\n)${tag} [^\\r]*\\r\\n`).exec(text);
      if (m) {
        const end = m.index + m[0].length;
        this.buf = this.buf.subarray(Buffer.byteLength(text.slice(0, end), 'latin1'));
        return text.slice(0, end);
      }
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${tag} reply; have ${JSON.stringify(text.slice(-300))}`)), 10_000);
        this.waiter = () => {
          clearTimeout(timer);
          this.waiter = null;
          resolve();
        };
      });
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

describe('COMPRESS=DEFLATE', () => {
  let fx: ImapFixture;
  before(async () => {
    fx = await imapFixture();
  });
  after(() => fx.stop());

  async function loggedIn(): Promise<{ w: Wire; deliver: (raw: Buffer) => Promise<number> }> {
    const u = await fx.user();
    const w = await Wire.open(fx.app.port('imap'));
    await w.until('\\*');
    w.send(`a LOGIN ${u.name} "${PASSWORD}"\r\n`);
    assert.match(await w.until('a'), /^a OK /m);
    return { w, deliver: (raw) => u.deliver('INBOX', raw) };
  }

  it('is advertised after login only as COMPRESS=DEFLATE; before login COMPRESS is BAD', async () => {
    const u = await fx.user();
    const c = await u.connect({ login: false });
    assert.match((await c.cmd('COMPRESS DEFLATE')).tagged, / BAD /);
    c.close();
    const d = await u.connect();
    assert.match((await d.ok('CAPABILITY')).untagged.join(' '), / COMPRESS=DEFLATE( |$)/);
    assert.match((await d.cmd('COMPRESS LZ4')).tagged, / BAD /);
    d.close();
  });

  it('after the OK both directions are DEFLATE: commands, literals and a large FETCH come through byte-exact', async () => {
    const { w, deliver } = await loggedIn();
    const big = textMessage({ subject: 'compressed', body: Array.from({ length: 4000 }, (_, i) => `line ${i} of a long body`).join('\r\n') });
    await deliver(big);
    w.send('b COMPRESS DEFLATE\r\n');
    assert.match(await w.until('b'), /^b OK /m);
    w.compress();
    w.send('c SELECT INBOX\r\n');
    assert.match(await w.until('c'), /\* 1 EXISTS/);
    w.send('d FETCH 1 BODY.PEEK[]\r\n');
    const fetched = Buffer.from(await w.until('d'), 'latin1');
    assert.ok(fetched.includes(big), 'the literal is the message');
    w.send('e COMPRESS DEFLATE\r\n');
    assert.match(await w.until('e'), /^e NO \[COMPRESSIONACTIVE\]/m);
    const note = textMessage({ subject: 'appended through deflate' });
    w.send(`f APPEND INBOX {${note.length}+}\r\n`);
    w.send(Buffer.concat([note, Buffer.from('\r\n')]));
    assert.match(await w.until('f'), /^f OK \[APPENDUID \d+ 2\]/m);
    w.send('g LOGOUT\r\n');
    assert.match(await w.until('g'), /\* BYE/);
    w.close();
  });

  it('a compressed command sent right behind COMPRESS, before the OK arrived, is read (RFC 4978 §3)', async () => {
    const { w } = await loggedIn();
    const deflate = createDeflateRaw();
    const chunks: Buffer[] = [];
    deflate.on('data', (d: Buffer) => chunks.push(d));
    deflate.write('h NOOP\r\n');
    await new Promise<void>((resolve) => deflate.flush(constants.Z_SYNC_FLUSH, () => resolve()));
    // One write: the plain command line and the compressed one after it.
    w.send(Buffer.concat([Buffer.from('b COMPRESS DEFLATE\r\n'), ...chunks]));
    assert.match(await w.until('b'), /^b OK /m);
    w.compress();
    assert.match(await w.until('h'), /^h OK /m);
    w.close();
  });
});
