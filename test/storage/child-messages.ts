/** Deterministic message bodies, so the parent can check what a child stored byte for byte. */
export function childMessage(tag: string, index: number): Buffer {
  const filler = `${tag}-${index} `.repeat(40 + (index % 7) * 30);
  return Buffer.from(
    [
      `From: child <child@example.com>`,
      `To: parent@example.com`,
      `Subject: ${tag} message ${index}`,
      `Message-ID: <${tag}-${index}@example.com>`,
      '',
      filler,
      '',
    ].join('\r\n'),
  );
}
