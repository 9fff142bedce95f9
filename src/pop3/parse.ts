/**
 * Pure parsing of POP3 command lines (RFC 1939 §3, RFC 2449 §3): a keyword of
 * letters, then arguments separated by spaces. No I/O; every function throws
 * a {@link Pop3Error} (bad: true) for input it does not accept.
 */
import { Pop3Error, syntaxError } from './errors.js';

export interface CommandLine {
  /** Upper-cased keyword. */
  keyword: string;
  /** Everything after the first space, as sent (PASS needs it verbatim). Empty when none. */
  args: string;
}

/** Keywords are 3 or 4 characters in RFC 1939; extensions use longer ones, never anything but letters. */
const KEYWORD = /^[A-Za-z]{1,16}$/;

export function splitCommand(line: Buffer): CommandLine {
  for (const b of line) {
    // Tab is tolerated as a separator; every other control byte is refused (NUL would reach logins and logs).
    if ((b < 0x20 && b !== 0x09) || b === 0x7f) throw syntaxError('Invalid characters in command');
  }
  const text = line.toString('utf8');
  const sp = text.search(/[ \t]/);
  const keyword = sp < 0 ? text : text.slice(0, sp);
  if (!KEYWORD.test(keyword)) throw new Pop3Error('Unknown command', { bad: true });
  return { keyword: keyword.toUpperCase(), args: sp < 0 ? '' : text.slice(sp + 1) };
}

/** Arguments split on runs of blanks; leading and trailing blanks ignored (some clients send "STAT "). */
export function words(args: string): string[] {
  const t = args.trim();
  return t === '' ? [] : t.split(/[ \t]+/);
}

export function parseNoArgs(args: string): null {
  if (words(args).length > 0) throw syntaxError('This command takes no arguments');
  return null;
}

/** Message numbers are positive decimal integers (RFC 1939 §3); range checks need the maildrop, so 0 passes here. */
export function parseNumber(token: string, what: string): number {
  if (!/^[0-9]{1,10}$/.test(token)) throw syntaxError(`Invalid ${what}`);
  return Number(token);
}

export function parseMessageNumber(args: string): number {
  const w = words(args);
  if (w.length === 0) throw syntaxError('Missing message number');
  if (w.length > 1) throw syntaxError('Too many arguments');
  return parseNumber(w[0]!, 'message number');
}

/** LIST and UIDL: an optional message number; null lists every message. */
export function parseOptionalMessageNumber(args: string): number | null {
  const w = words(args);
  if (w.length === 0) return null;
  if (w.length > 1) throw syntaxError('Too many arguments');
  return parseNumber(w[0]!, 'message number');
}

export interface TopArgs {
  message: number;
  lines: number;
}

export function parseTop(args: string): TopArgs {
  const w = words(args);
  if (w.length < 2) throw syntaxError('TOP needs a message number and a line count');
  if (w.length > 2) throw syntaxError('Too many arguments');
  return { message: parseNumber(w[0]!, 'message number'), lines: parseNumber(w[1]!, 'line count') };
}

export function parseUser(args: string): string {
  const name = args.trim();
  if (name === '') throw syntaxError('Missing user name');
  return name;
}

/** RFC 1939 §7: the whole rest of the line is the password, spaces included. */
export function parsePass(args: string): string {
  if (args === '') throw syntaxError('Missing password');
  return args;
}

export type AuthArgs =
  /** Bare AUTH: list the mechanisms (the pre-RFC 5034 form Outlook and others still send). */
  | { kind: 'list' }
  | { kind: 'start'; mechanism: string; initialResponse: string | null };

/** RFC 5034 §4: `AUTH mechanism [initial-response]`; "=" is an empty initial response. */
export function parseAuth(args: string): AuthArgs {
  const w = words(args);
  if (w.length === 0) return { kind: 'list' };
  if (w.length > 2) throw syntaxError('Too many arguments');
  const mechanism = w[0]!.toUpperCase();
  if (!/^[A-Z0-9_-]{1,20}$/.test(mechanism)) throw syntaxError('Invalid mechanism name');
  return { kind: 'start', mechanism, initialResponse: w[1] ?? null };
}
