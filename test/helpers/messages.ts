/** Builders for realistic test messages (CRLF line endings, as delivered). */
export interface TestMessageOptions {
  from?: string;
  to?: string;
  subject?: string;
  body?: string;
  date?: string;
  messageId?: string;
  headers?: Record<string, string>;
}

let counter = 0;

export function textMessage(options: TestMessageOptions = {}): Buffer {
  counter++;
  const lines = [
    `From: ${options.from ?? 'Alice Example <alice@example.com>'}`,
    `To: ${options.to ?? 'Bob <bob@example.org>'}`,
    `Subject: ${options.subject ?? `Test message ${counter}`}`,
    `Date: ${options.date ?? 'Tue, 01 Dec 2026 10:00:00 +0000'}`,
    `Message-ID: ${options.messageId ?? `<test-${counter}-${process.pid}@example.com>`}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    ...Object.entries(options.headers ?? {}).map(([k, v]) => `${k}: ${v}`),
    '',
    options.body ?? `Hello, this is message number ${counter}.`,
    '',
  ];
  return Buffer.from(lines.join('\r\n'));
}

export function multipartMessage(options: TestMessageOptions & { attachment?: Buffer; filename?: string } = {}): Buffer {
  counter++;
  const boundary = `b${counter}x`;
  const att = (options.attachment ?? Buffer.from('attachment bytes')).toString('base64').replace(/.{76}/g, '$&\r\n');
  const lines = [
    `From: ${options.from ?? 'Alice <alice@example.com>'}`,
    `To: ${options.to ?? 'bob@example.org'}`,
    `Subject: ${options.subject ?? `Multipart ${counter}`}`,
    `Date: ${options.date ?? 'Wed, 02 Dec 2026 11:00:00 +0100'}`,
    `Message-ID: <mp-${counter}-${process.pid}@example.com>`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    '',
    'preamble',
    `--${boundary}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    options.body ?? 'See the attachment.',
    `--${boundary}`,
    `Content-Type: application/octet-stream; name="${options.filename ?? 'data.bin'}"`,
    `Content-Disposition: attachment; filename="${options.filename ?? 'data.bin'}"`,
    'Content-Transfer-Encoding: base64',
    '',
    att,
    `--${boundary}--`,
    '',
  ];
  return Buffer.from(lines.join('\r\n'));
}
