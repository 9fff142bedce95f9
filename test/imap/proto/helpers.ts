/** Shared helpers for the IMAP protocol-layer tests. */
import { CommandReader, type CommandReaderOptions, type LiteralRequest, type ReaderEvent } from '../../../src/imap/proto/reader.js';
import type { RawCommand } from '../../../src/imap/proto/raw-command.js';
import { parseCommandLine, type ParseResult } from '../../../src/imap/parse/command-line.js';
import type { ParseContext } from '../../../src/imap/proto/tokens.js';

export interface Framed {
  events: ReaderEvent[];
  continuations: LiteralRequest[];
}

/** Feeds `input` (in the given chunks) to a reader and collects every event up to `end`. */
export async function frameAll(
  chunks: ReadonlyArray<string | Buffer>,
  options: Partial<CommandReaderOptions> = {},
): Promise<Framed> {
  const continuations: LiteralRequest[] = [];
  const reader = new CommandReader({
    ...options,
    onContinuation: (req) => {
      continuations.push(req);
      return options.onContinuation?.(req);
    },
  });
  const events: ReaderEvent[] = [];
  const reading = (async () => {
    for (;;) {
      const ev = await reader.readCommand();
      events.push(ev);
      if (ev.type === 'end' || ev.type === 'fatal') return;
    }
  })();
  for (const chunk of chunks) {
    if (!reader.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk)) {
      await Promise.race([reader.waitForDrain(), reading]);
    }
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  reader.end();
  await reading;
  return { events, continuations };
}

/** Frames a single complete command (literals allowed) from text. */
export async function rawCommand(text: string): Promise<RawCommand> {
  const { events } = await frameAll([text.endsWith('\n') ? text : `${text}\r\n`]);
  const first = events[0];
  if (first === undefined || first.type !== 'command') throw new Error(`not framed: ${JSON.stringify(first)}`);
  return first.command;
}

export async function parseText(text: string, context?: ParseContext): Promise<ParseResult> {
  return parseCommandLine(await rawCommand(text), context);
}

/** A compact, comparable description of reader events. */
export function summarize(events: readonly ReaderEvent[]): string[] {
  return events.map((ev) => {
    switch (ev.type) {
      case 'command': {
        const parts: string[] = [];
        ev.command.segments.forEach((seg, i) => {
          parts.push(seg.toString('latin1'));
          const lit = ev.command.literals[i];
          if (lit !== undefined) parts.push(lit.kind === 'buffered' ? `<${lit.data.toString('latin1')}>` : `<stream ${lit.size}>`);
        });
        return `command ${parts.join('')}`;
      }
      case 'error':
      case 'fatal':
        return `${ev.type} ${ev.tag ?? '*'} ${ev.error.status}${ev.error.code ? ` [${ev.error.code.name}]` : ''} ${ev.error.clientText}`;
      case 'end':
        return 'end';
    }
  });
}
