/**
 * Top level of command parsing: tag, command name (case-insensitive, `UID`
 * prefix joined), then the command's own parser from the registry.
 */
import { ImapParseError } from '../errors.js';
import { isTagChar, SP } from '../proto/chars.js';
import { TokenCursor } from '../proto/cursor.js';
import type { RawCommand } from '../proto/raw-command.js';
import { DEFAULT_CONTEXT, type ParseContext } from '../proto/tokens.js';
import { commandParsers, isCommandName, type ParsedCommand } from './registry.js';

/**
 * On failure, answer `<tag> <status> [code] text`, or `* BAD ...` when `tag`
 * is null (the tag itself was invalid, RFC 3501 §2.2.1).
 */
export type ParseResult =
  | { readonly ok: true; readonly command: ParsedCommand }
  | { readonly ok: false; readonly tag: string | null; readonly name: string | null; readonly error: ImapParseError };

export function parseCommandLine(raw: RawCommand, context: ParseContext = DEFAULT_CONTEXT): ParseResult {
  const cursor = new TokenCursor(raw);
  const tag = cursor.readWhile(isTagChar);
  if (tag.length === 0 || (cursor.peek() !== SP && !cursor.atEnd())) {
    return { ok: false, tag: null, name: null, error: new ImapParseError('Invalid tag') };
  }
  let name: string | null = null;
  try {
    if (cursor.atEnd()) cursor.fail('Missing command');
    cursor.expectSpace();
    name = cursor.readAtom('command name').toUpperCase();
    if (name === 'UID') {
      cursor.expectSpace();
      name = `UID ${cursor.readAtom('command name').toUpperCase()}`;
    }
    if (!isCommandName(name)) {
      const text = name.length <= 40 ? `Unknown command ${name}` : 'Unknown command';
      return { ok: false, tag, name, error: new ImapParseError(text) };
    }
    const parser = commandParsers[name];
    const args = parser(cursor, { ...context, uid: name.startsWith('UID ') });
    // The registry lookup pairs `name` with its own parser, which TypeScript cannot correlate.
    const command = { tag, name, args } as ParsedCommand;
    return { ok: true, command };
  } catch (e) {
    if (e instanceof ImapParseError) return { ok: false, tag, name, error: e };
    throw e;
  }
}
