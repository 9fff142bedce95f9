import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createSecureContext, type SecureContext } from 'node:tls';
import { generate } from 'selfsigned';
import type { TlsConfig } from '../config/schema.js';
import type { Logger } from '../log/logger.js';

export interface TlsMaterial {
  key: Buffer;
  cert: Buffer;
  minVersion: 'TLSv1.2' | 'TLSv1.3';
  /** True when generated (clients will warn; fine for tests and first runs). */
  selfSigned: boolean;
  context: SecureContext;
}

/**
 * The certificate every TLS listener (IMAP STARTTLS/implicit, POP3 STLS/
 * implicit) uses: the configured pair, or a self-signed one generated once
 * into the data directory and reused on later starts.
 */
export async function loadTls(config: TlsConfig, dataDir: string, hostname: string, logger: Logger): Promise<TlsMaterial> {
  let key: Buffer;
  let cert: Buffer;
  let selfSigned = false;
  if (config.cert || config.key) {
    if (!config.cert || !config.key) throw new Error('tls.cert and tls.key must be set together');
    key = readFileSync(resolve(config.key));
    cert = readFileSync(resolve(config.cert));
  } else {
    const keyPath = join(dataDir, 'tls-selfsigned.key');
    const certPath = join(dataDir, 'tls-selfsigned.crt');
    if (!existsSync(keyPath) || !existsSync(certPath)) {
      const notAfter = new Date(Date.now() + 10 * 365 * 24 * 3600 * 1000);
      const pems = await generate([{ name: 'commonName', value: hostname }], {
        keyType: 'ec',
        curve: 'P-256',
        notAfterDate: notAfter,
        extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: hostname }, { type: 7, ip: '127.0.0.1' }] }],
      });
      // Write-then-rename: two processes starting at once must not read half a file.
      writeFileSync(`${keyPath}.tmp`, pems.private, { mode: 0o600 });
      writeFileSync(`${certPath}.tmp`, pems.cert);
      renameSync(`${keyPath}.tmp`, keyPath);
      renameSync(`${certPath}.tmp`, certPath);
      logger.info('tls.selfsigned_generated', { cert: certPath });
    }
    key = readFileSync(keyPath);
    cert = readFileSync(certPath);
    selfSigned = true;
  }
  const context = createSecureContext({ key, cert, minVersion: config.minVersion });
  return { key, cert, minVersion: config.minVersion, selfSigned, context };
}
