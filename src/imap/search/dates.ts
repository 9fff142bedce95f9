/**
 * The day boundaries SEARCH compares dates with (RFC 3501 §6.4.4: "disregarding
 * time and timezone"). Storage keeps instants, so a calendar day must become an
 * interval of instants in some zone. Eider uses the server's local time zone
 * for both the internal date (as Dovecot does) and the Date: header (Dovecot
 * uses the header's own zone there, which storage does not keep); see
 * docs/IMAP-COMPAT.md. INTERNALDATE is rendered in the same zone, so a message
 * whose INTERNALDATE shows 05-Mar-2024 is found by `ON 5-Mar-2024`.
 */
import type { ImapDate } from '../proto/dates.js';

/** First instant (ms) of the local calendar day `date` plus `addDays`; handles DST and four-digit years below 100. */
export function localDayStart(date: ImapDate, addDays = 0): number {
  const d = new Date(0);
  d.setFullYear(date.year, date.month - 1, date.day + addDays);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

/** [gte, lt) bounds for BEFORE / ON / SINCE on `date`. */
export function dayBounds(op: 'before' | 'on' | 'since', date: ImapDate): { gte?: number; lt?: number } {
  switch (op) {
    case 'before':
      return { lt: localDayStart(date) };
    case 'on':
      return { gte: localDayStart(date), lt: localDayStart(date, 1) };
    case 'since':
      return { gte: localDayStart(date) };
  }
}
