import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import type { TlsMaterial } from '../server/tls.js';

const HANDSHAKE_MS = 30_000;

/**
 * Server side of a TLS handshake on an accepted socket, for STLS (RFC 2595 §4)
 * and the implicit-TLS listener alike: the app's certificate (ctx.tls), the
 * same as IMAP's. Rejects on failure or after 30 s.
 */
export async function acceptTls(raw: Socket, tls: TlsMaterial): Promise<TLSSocket> {
  const secure = new TLSSocket(raw, { isServer: true, secureContext: tls.context });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error('TLS handshake timeout')), HANDSHAKE_MS);
      const fail = (err: Error) => {
        clearTimeout(timer);
        secure.off('secure', ok);
        reject(err);
      };
      const ok = () => {
        clearTimeout(timer);
        secure.off('error', fail);
        resolve();
      };
      secure.once('secure', ok);
      secure.once('error', fail);
    });
  } catch (err) {
    secure.destroy();
    throw err;
  }
  return secure;
}
