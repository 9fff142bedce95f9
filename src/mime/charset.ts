/**
 * Bytes → string for whatever charset label a message carries. Mail in the
 * wild mislabels constantly, so every path here ends in a best effort rather
 * than an error: an unknown or absent label means "UTF-8 if the bytes are
 * valid UTF-8, otherwise windows-1252" (the WHATWG reading of Latin-1).
 */
import iconv from 'iconv-lite';
import { isUtf8 } from 'node:buffer';

/** Labels seen in mail that iconv-lite does not know under that spelling. */
const ALIASES: ReadonlyMap<string, string> = new Map([
  ['x-mac-roman', 'macintosh'],
  ['x-euc-jp', 'euc-jp'],
  ['x-unknown', ''],
  ['unknown-8bit', ''],
  ['x-user-defined', ''],
  ['default', ''],
  ['none', ''],
  ['8bit', ''],
  ['7bit', ''],
]);

const ISO2022JP = /^(?:x-)?(?:iso-?2022-?jp(?:-[0-9a-z]+)?|csiso2022jp|jis)$/;

/**
 * Canonical lowercase label: quotes and an RFC 2231 §5 "*language" suffix
 * removed. "" means "no usable label".
 */
export function normalizeCharset(label: string | null | undefined): string {
  // No real label is anywhere near this long; a hostile one is not worth parsing.
  if (!label || label.length > 100) return '';
  let cs = label.trim().replace(/^["']+|["']+$/g, '').toLowerCase();
  const star = cs.indexOf('*');
  if (star >= 0) cs = cs.slice(0, star);
  const alias = ALIASES.get(cs);
  return alias ?? cs;
}

/** Unlabelled bytes: UTF-8 when they are valid UTF-8, windows-1252 otherwise. */
export function sniffDecode(buf: Buffer): string {
  return isUtf8(buf) ? buf.toString('utf8') : iconv.decode(buf, 'windows-1252');
}

/**
 * Decodes `buf` from `label` to a JS string. Never throws. US-ASCII and
 * ISO-8859-1 labels are treated as hints only: 8-bit data labelled US-ASCII
 * is common, and is usually UTF-8 or windows-1252.
 */
export function decodeCharset(buf: Buffer, label: string | null | undefined): string {
  if (buf.length === 0) return '';
  const cs = normalizeCharset(label);
  if (cs === '' || cs === 'us-ascii' || cs === 'ascii' || cs === 'ansi_x3.4-1968') return sniffDecode(buf);
  if (cs === 'utf-8' || cs === 'utf8') return buf.toString('utf8');
  if (cs === 'iso-8859-1' || cs === 'latin1' || cs === 'iso8859-1') return iconv.decode(buf, 'windows-1252');
  if (ISO2022JP.test(cs)) return iconv.decode(iso2022jpToEucJp(buf), 'euc-jp');
  if (iconv.encodingExists(cs)) {
    try {
      return iconv.decode(buf, cs);
    } catch {
      return sniffDecode(buf);
    }
  }
  return sniffDecode(buf);
}

/** Whether decodeCharset would use a real table for this label (tests, diagnostics). */
export function isKnownCharset(label: string): boolean {
  const cs = normalizeCharset(label);
  return cs !== '' && (ISO2022JP.test(cs) || iconv.encodingExists(cs));
}

const ESC = 0x1b;

/**
 * ISO-2022-JP (RFC 1468, and the -1/-2 extensions' JIS X 0212) is a
 * stateful 7-bit form of the same code points EUC-JP carries with the high
 * bit set, so the escape sequences are mapped to EUC-JP and iconv-lite's
 * EUC-JP table does the rest (iconv-lite has no ISO-2022-JP codec).
 */
export function iso2022jpToEucJp(src: Buffer): Buffer {
  const out = Buffer.allocUnsafe(src.length * 2);
  let o = 0;
  // 0 ASCII / JIS-Roman, 1 JIS X 0208, 2 half-width katakana, 3 JIS X 0212
  let mode = 0;
  let shifted = false;
  for (let i = 0; i < src.length; i++) {
    const b = src[i]!;
    if (b === ESC && i + 2 < src.length) {
      const b1 = src[i + 1]!;
      const b2 = src[i + 2]!;
      if (b1 === 0x28 && (b2 === 0x42 || b2 === 0x4a)) { mode = 0; i += 2; continue; }
      if (b1 === 0x28 && b2 === 0x49) { mode = 2; i += 2; continue; }
      if (b1 === 0x24 && (b2 === 0x40 || b2 === 0x42)) { mode = 1; i += 2; continue; }
      if (b1 === 0x24 && b2 === 0x28 && i + 3 < src.length) {
        const b3 = src[i + 3]!;
        if (b3 === 0x44) { mode = 3; i += 3; continue; }
        if (b3 === 0x42 || b3 === 0x40) { mode = 1; i += 3; continue; }
      }
    }
    if (b === 0x0e) { shifted = true; continue; }
    if (b === 0x0f) { shifted = false; continue; }
    if (b === 0x0a || b === 0x0d) {
      // A line break always returns to ASCII; well-formed input escapes first anyway.
      mode = 0;
      shifted = false;
      out[o++] = b;
      continue;
    }
    const m = shifted ? 2 : mode;
    if (m === 0 || b < 0x21 || b > 0x7e) {
      out[o++] = b;
    } else if (m === 2) {
      out[o++] = 0x8e;
      out[o++] = b | 0x80;
    } else if (i + 1 < src.length) {
      const t = src[i + 1]!;
      if (m === 3) out[o++] = 0x8f;
      out[o++] = b | 0x80;
      out[o++] = t | 0x80;
      i++;
    }
  }
  return out.subarray(0, o);
}
