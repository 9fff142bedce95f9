/**
 * An Apple configuration profile (com.apple.mail.managed payload) that sets
 * up this server's IMAP account with an app password. Unsigned: devices
 * show it as "Unverified", which is what an unsigned profile is.
 */
import { randomUUID } from 'node:crypto';

export interface MailProfile {
  displayName: string;
  hostname: string;
  imapPort: number;
  imapTls: boolean;
  username: string;
  password: string;
  address: string;
  name: string;
}

function xml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

type PlistValue = string | number | boolean | PlistValue[] | { [key: string]: PlistValue };

function plist(value: PlistValue, indent: string): string {
  if (typeof value === 'string') return `${indent}<string>${xml(value)}</string>`;
  if (typeof value === 'number') return `${indent}<integer>${Math.floor(value)}</integer>`;
  if (typeof value === 'boolean') return `${indent}<${value}/>`;
  if (Array.isArray(value)) return `${indent}<array>\n${value.map((v) => plist(v, indent + '  ')).join('\n')}\n${indent}</array>`;
  const entries = Object.entries(value).map(([k, v]) => `${indent}  <key>${xml(k)}</key>\n${plist(v, indent + '  ')}`);
  return `${indent}<dict>\n${entries.join('\n')}\n${indent}</dict>`;
}

/** The profile as a plist document (base64 it for the API response). */
export function mailProfile(p: MailProfile): Buffer {
  const reverse = p.hostname.split('.').reverse().join('.') || 'localhost';
  const ident = `${reverse}.eider.${p.username.replace(/[^A-Za-z0-9.-]/g, '-')}`;
  const account = {
    PayloadType: 'com.apple.mail.managed',
    PayloadVersion: 1,
    PayloadIdentifier: `${ident}.mail`,
    PayloadUUID: randomUUID(),
    PayloadDisplayName: p.displayName,
    EmailAccountDescription: p.displayName,
    EmailAccountName: p.name || p.address,
    EmailAccountType: 'EmailTypeIMAP',
    EmailAddress: p.address,
    IncomingMailServerHostName: p.hostname,
    IncomingMailServerPortNumber: p.imapPort,
    IncomingMailServerUseSSL: p.imapTls,
    IncomingMailServerAuthentication: 'EmailAuthPassword',
    IncomingMailServerUsername: p.username,
    IncomingPassword: p.password,
    // Eider has no submission server yet; the profile needs one, so the usual submission port is named.
    OutgoingMailServerHostName: p.hostname,
    OutgoingMailServerPortNumber: 587,
    OutgoingMailServerUseSSL: false,
    OutgoingMailServerAuthentication: 'EmailAuthPassword',
    OutgoingMailServerUsername: p.username,
    OutgoingPasswordSameAsIncomingPassword: true,
    SMIMEEnabled: false,
  };
  const profile = {
    PayloadType: 'Configuration',
    PayloadVersion: 1,
    PayloadIdentifier: ident,
    PayloadUUID: randomUUID(),
    PayloadDisplayName: p.displayName,
    PayloadDescription: `Mail account ${p.address}`,
    PayloadContent: [account],
  };
  return Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">\n<plist version="1.0">\n${plist(profile, '')}\n</plist>\n`,
    'utf8',
  );
}
