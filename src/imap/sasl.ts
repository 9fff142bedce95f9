/** SASL message decoding (pure). */

export interface PlainCredentials {
  readonly authzid: string;
  readonly authcid: string;
  readonly password: string;
}

/** RFC 4616 §2: `[authzid] NUL authcid NUL passwd`, UTF-8; null when malformed. */
export function decodePlain(message: Buffer): PlainCredentials | null {
  const first = message.indexOf(0);
  const second = first < 0 ? -1 : message.indexOf(0, first + 1);
  if (first < 0 || second < 0 || message.indexOf(0, second + 1) >= 0) return null;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    const authzid = decoder.decode(message.subarray(0, first));
    const authcid = decoder.decode(message.subarray(first + 1, second));
    const password = decoder.decode(message.subarray(second + 1));
    if (authcid.length === 0) return null;
    return { authzid, authcid, password };
  } catch {
    return null;
  }
}
