/**
 * Date: header parsing. RFC 5322 §3.3 date-time first, then what §4.3
 * (obsolete syntax) and real mailers add: two- and three-digit years, zone
 * names, military zones, missing seconds, missing zone, ctime order
 * ("Mon Jan  1 10:00:00 2024"), ISO 8601, AM/PM. Anything that does not
 * yield a real calendar date gives null.
 */
import { stripComments } from './params.js';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Offsets in minutes. The RFC 822 names come from RFC 5322 §4.3; the rest are common in the wild. */
const ZONES: ReadonlyMap<string, number> = new Map([
  ['ut', 0], ['utc', 0], ['gmt', 0], ['z', 0], ['wet', 0],
  ['est', -300], ['edt', -240], ['cst', -360], ['cdt', -300],
  ['mst', -420], ['mdt', -360], ['pst', -480], ['pdt', -420],
  ['bst', 60], ['cet', 60], ['met', 60], ['west', 60], ['cest', 120], ['mest', 120], ['eet', 120],
  ['eest', 180], ['msk', 180], ['ist', 330], ['hkt', 480], ['sgt', 480], ['jst', 540], ['kst', 540],
  ['aest', 600], ['aedt', 660], ['nzst', 720], ['nzdt', 780],
]);

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|z|[+-]\d{2}:?\d{2})?)?$/;
const TOKENS = /[A-Za-z]+|\d{1,2}:\d{1,2}(?::\d{1,2})?(?:\.\d+)?|[+-]\d{2}:?\d{2}(?!\d)|\d+/g;

function offsetMinutes(tok: string): number {
  const sign = tok[0] === '-' ? -1 : 1;
  const digits = tok.replace(/[^0-9]/g, '');
  const hh = Number(digits.slice(0, 2));
  const mm = Number(digits.slice(2, 4));
  return sign * (hh * 60 + mm);
}

function build(y: number, mo: number, d: number, h: number, mi: number, s: number, zone: number): number | null {
  if (mo < 0 || mo > 11 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return null;
  if (Math.abs(zone) > 24 * 60) return null;
  const day = Date.UTC(y, mo, d);
  const check = new Date(day);
  if (check.getUTCDate() !== d || check.getUTCMonth() !== mo) return null; // 31 Feb
  // A leap second is reported as the last second of its minute.
  const ms = Date.UTC(y, mo, d, h, mi, Math.min(s, 59)) - zone * 60_000;
  return Number.isFinite(ms) ? ms : null;
}

function fullYear(y: string): number {
  const n = Number(y);
  if (y.length <= 2) return n < 50 ? 2000 + n : 1900 + n; // RFC 5322 §4.3
  if (y.length === 3) return 1900 + n;
  return n;
}

/** Milliseconds since the epoch, or null when missing or unparseable. */
export function parseMailDate(value: string | null): number | null {
  if (value === null) return null;
  const text = stripComments(value).trim();
  if (text === '') return null;

  const iso = ISO.exec(text);
  if (iso) {
    const [, y, mo, d, h = '0', mi = '0', s = '0', z] = iso;
    const zone = z === undefined || z === 'Z' || z === 'z' ? 0 : offsetMinutes(z);
    return build(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), zone);
  }

  // "01-Jan-2024" (IMAP style) would otherwise read "-2024" as a zone.
  const norm = text.replace(/(\d)-(?=[A-Za-z])/g, '$1 ').replace(/([A-Za-z])-(?=\d)/g, '$1 ');
  let month = -1;
  let day = -1;
  let year: number | null = null;
  let time: number[] | null = null;
  let zone: number | null = null;
  let namedZone: number | null = null;
  let pm: boolean | null = null;
  for (const tok of norm.match(TOKENS) ?? []) {
    const c = tok.charCodeAt(0);
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) {
      const w = tok.toLowerCase();
      const m = MONTHS.indexOf(w.slice(0, 3));
      if (m >= 0 && month < 0) {
        month = m;
      } else if (w === 'am' || w === 'pm') {
        pm = w === 'pm';
      } else if (ZONES.has(w)) {
        namedZone ??= ZONES.get(w)!;
      } else if (w.length === 1) {
        namedZone ??= 0; // military zones carry no reliable offset (RFC 5322 §4.3)
      }
    } else if (tok.includes(':') && tok[0] !== '+' && tok[0] !== '-') {
      time ??= tok.split('.')[0]!.split(':').map(Number);
    } else if (tok[0] === '+' || tok[0] === '-') {
      zone ??= offsetMinutes(tok);
    } else if (tok.length >= 3) {
      year ??= fullYear(tok);
    } else if (day < 0 && Number(tok) >= 1 && Number(tok) <= 31) {
      day = Number(tok);
    } else if (year === null) {
      year = fullYear(tok);
    }
  }
  if (month < 0 || day < 0 || year === null) return null;
  let [h = 0, mi = 0, s = 0] = time ?? [];
  if (pm !== null && h >= 1 && h <= 12) h = (h % 12) + (pm ? 12 : 0);
  return build(year, month, day, h, mi, s, zone ?? namedZone ?? 0);
}
