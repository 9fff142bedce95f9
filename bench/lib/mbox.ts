import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

/**
 * Reads an mbox (as written by ../shared/tools/make-mbox.py: LF endings,
 * ">From " escaping) and yields each message with CRLF line endings, the
 * form a client APPENDs or an MTA delivers.
 */
export async function* readMbox(path: string): AsyncGenerator<Buffer> {
  const rl = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  let lines: string[] = [];
  let started = false;
  for await (const line of rl) {
    if (line.startsWith('From ')) {
      if (started) yield finish(lines);
      lines = [];
      started = true;
      continue;
    }
    lines.push(/^>+From /.test(line) ? line.slice(1) : line);
  }
  if (started) yield finish(lines);
}

function finish(lines: string[]): Buffer {
  // make-mbox.py separates messages with one blank line that is not part of the message.
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return Buffer.from(lines.join('\r\n') + '\r\n', 'utf8');
}
