/**
 * IMAP dates (RFC 3501 §9): `date` for SEARCH, `date-time` for APPEND and
 * INTERNALDATE responses.
 */
import { ImapParseError } from '../errors.js';
import { DQUOTE } from './chars.js';
import type { TokenCursor } from './cursor.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MONTH_INDEX: ReadonlyMap<string, number> = new Map(MONTHS.map((m, i) => [m.toUpperCase(), i + 1]));

/** A calendar day; SEARCH compares dates "disregarding time and timezone" (RFC 3501 §6.4.4). */
export interface ImapDate {
  readonly year: number;
  /** 1–12 */
  readonly month: number;
  /** 1–31, valid for the month */
  readonly day: number;
}

/** An instant with the zone the client gave, so INTERNALDATE can be echoed as written. */
export interface ImapDateTime {
  /** Milliseconds since the epoch (UTC). */
  readonly timestamp: number;
  /** Zone offset in minutes east of UTC (`-0700` → -420). */
  readonly offsetMinutes: number;
}

function invalidDate(): never {
  throw new ImapParseError('Invalid date');
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : (DAYS[month - 1] ?? 0);
}

/** Date.UTC maps years 0–99 to 1900–1999; four-digit IMAP years must not be reinterpreted. */
function utcMs(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  const d = new Date(Date.UTC(2000, month - 1, day, hour, minute, second));
  d.setUTCFullYear(year);
  return d.getTime();
}

function checkDay(year: number, month: number, day: number): void {
  if (year < 1 || day < 1 || day > daysInMonth(year, month)) invalidDate();
}

/** `date-text = date-day "-" date-month "-" date-year`, date-day 1*2DIGIT. */
export function parseDateText(text: string): ImapDate {
  const m = /^([0-9]{1,2})-([A-Za-z]{3})-([0-9]{4})$/.exec(text);
  if (m === null) invalidDate();
  const month = MONTH_INDEX.get((m[2] ?? '').toUpperCase());
  if (month === undefined) invalidDate();
  const year = Number(m[3]);
  const day = Number(m[1]);
  checkDay(year, month, day);
  return { year, month, day };
}

/** `date = date-text / DQUOTE date-text DQUOTE`. */
export function readDate(cursor: TokenCursor): ImapDate {
  const quoted = cursor.skipChar(DQUOTE);
  const text = cursor.readWhile((b) => b === 0x2d || (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a));
  if (quoted) cursor.expectChar(DQUOTE, 'closing quote');
  return parseDateText(text);
}

/**
 * `date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE`
 * (content between the quotes). date-day-fixed is `SP DIGIT` or `2DIGIT`.
 */
export function parseDateTimeText(text: string): ImapDateTime {
  const m = /^([ 0-9][0-9])-([A-Za-z]{3})-([0-9]{4}) ([0-9]{2}):([0-9]{2}):([0-9]{2}) ([+-])([0-9]{2})([0-9]{2})$/.exec(text);
  if (m === null) invalidDate();
  const [, dayText = '', monText = '', yearText = '', hh = '', mm = '', ss = '', sign = '', zh = '', zm = ''] = m;
  if (dayText.startsWith(' ') && dayText[1] === '0') invalidDate();
  const month = MONTH_INDEX.get(monText.toUpperCase());
  if (month === undefined) invalidDate();
  const year = Number(yearText);
  const day = Number(dayText.trim());
  checkDay(year, month, day);
  const hour = Number(hh);
  const minute = Number(mm);
  const second = Number(ss);
  if (hour > 23 || minute > 59 || second > 60) invalidDate();
  const zoneHours = Number(zh);
  const zoneMinutes = Number(zm);
  if (zoneHours > 23 || zoneMinutes > 59) invalidDate();
  const offsetMinutes = (sign === '-' ? -1 : 1) * (zoneHours * 60 + zoneMinutes);
  // A leap second is folded into the next second, as Date cannot represent it.
  const utc = utcMs(year, month, day, hour, minute, second);
  return { timestamp: utc - offsetMinutes * 60_000, offsetMinutes };
}

/** Reads a quoted date-time (APPEND). */
export function readDateTime(cursor: TokenCursor): ImapDateTime {
  if (cursor.peek() !== DQUOTE) cursor.fail('Expected date-time');
  return parseDateTimeText(cursor.readQuotedBytes().toString('latin1'));
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Formats an instant as IMAP date-time text (without quotes), e.g. `17-Jul-1996 02:44:25 -0700`. */
export function formatDateTime(timestamp: number, offsetMinutes = 0): string {
  const d = new Date(timestamp + offsetMinutes * 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const zone = `${sign}${pad(Math.floor(abs / 60), 2)}${pad(abs % 60, 2)}`;
  const day = pad(d.getUTCDate(), 2);
  const month = MONTHS[d.getUTCMonth()] ?? 'Jan';
  const time = `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`;
  return `${day}-${month}-${pad(d.getUTCFullYear(), 4)} ${time} ${zone}`;
}

/** Start of the given day in UTC, in ms; handlers may prefer the server's zone. */
export function imapDateToUtcMs(date: ImapDate): number {
  return utcMs(date.year, date.month, date.day);
}
