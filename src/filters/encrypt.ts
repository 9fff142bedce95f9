/**
 * Encryption at delivery (WildDuck's `encryptMessages` / `encryptForwarded`):
 * a user who has uploaded an OpenPGP public key can have every incoming
 * message stored, or forwarded, only in encrypted form. The result is a
 * PGP/MIME message (RFC 3156 §4): the original's routing headers (From, To,
 * Subject, Date, Message-ID, ...) stay readable so clients can list it; its
 * MIME headers and body, in fact the whole original message byte for byte,
 * become the encrypted part, so decrypting gives back exactly what arrived.
 * The message is held in memory while it is encrypted (bounded by the LMTP
 * size limit); only users who asked for it pay that.
 */
import { randomBytes } from 'node:crypto';
import { createMessage, encrypt, readKey } from 'openpgp';
import type { ParsedMessage } from '../mime/types.js';

/** Root fields describing the body: they belong to the encrypted entity, not to the multipart/encrypted wrapper. */
const CONTENT_FIELDS = /^(content-[a-z0-9-]*|mime-version)$/i;

/** Already encrypted: PGP/MIME (RFC 3156) or an inline-armoured body. Encrypting again would only bury it. */
export function isEncrypted(parsed: ParsedMessage, raw: Buffer): boolean {
  if (parsed.root.type === 'multipart' && parsed.root.subtype === 'encrypted') return true;
  const start = parsed.headerLength;
  return raw.subarray(start, start + 4096).toString('latin1').trimStart().startsWith('-----BEGIN PGP MESSAGE-----');
}

/** The root header block without its MIME fields, folded lines kept whole. */
export function routingHeader(header: Buffer): string {
  const text = header.toString('latin1');
  const fields = text.replace(/\r?\n$/, '').split(/\r?\n(?![ \t])/);
  return fields
    .filter((f) => f !== '' && !CONTENT_FIELDS.test(f.slice(0, Math.max(0, f.indexOf(':'))).trim()))
    .map((f) => f.replace(/\r?\n/g, '\r\n') + '\r\n')
    .join('');
}

/**
 * The PGP/MIME form of `raw` for the holder of `armoredKey`.
 * @throws Error when the key cannot be read or used for encryption.
 */
export async function encryptMessage(raw: Buffer, parsed: ParsedMessage, armoredKey: string): Promise<Buffer> {
  const key = await readKey({ armoredKey });
  const armored = await encrypt({ message: await createMessage({ binary: new Uint8Array(raw) }), encryptionKeys: key, format: 'armored' });
  const boundary = `----=_eider_pgp_${randomBytes(12).toString('hex')}`;
  const body = [
    'This is an OpenPGP/MIME encrypted message (RFC 3156).',
    `--${boundary}`,
    'Content-Type: application/pgp-encrypted',
    'Content-Description: PGP/MIME version identification',
    '',
    'Version: 1',
    '',
    `--${boundary}`,
    'Content-Type: application/octet-stream; name="encrypted.asc"',
    'Content-Description: OpenPGP encrypted message',
    'Content-Disposition: inline; filename="encrypted.asc"',
    '',
    armored.replace(/\r?\n/g, '\r\n').replace(/\r\n$/, ''),
    `--${boundary}--`,
    '',
  ].join('\r\n');
  const head =
    routingHeader(raw.subarray(0, parsed.headerLength)) +
    'MIME-Version: 1.0\r\n' +
    `Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="${boundary}"\r\n` +
    '\r\n';
  return Buffer.from(head + body, 'latin1');
}
