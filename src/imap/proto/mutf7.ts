/**
 * Modified UTF-7 mailbox names (RFC 3501 §5.1.3).
 *
 * Decoding is strict so that every mailbox has exactly one wire spelling:
 * anything an encoder would not have produced is refused with Mutf7Error
 * (bad base64, non-zero or excess padding bits, unterminated shifts, shifted
 * printable ASCII, adjacent shifted runs, NUL, unpaired surrogates, 8-bit).
 */
import { Mutf7Error } from '../errors.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,';
const VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUE[ALPHABET.charCodeAt(i)] = i;

function isDirect(unit: number): boolean {
  return unit >= 0x20 && unit <= 0x7e;
}

function isHigh(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

function isLow(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

function encodeRun(units: number[]): string {
  let out = '';
  let bits = 0;
  let nbits = 0;
  for (const unit of units) {
    bits = (bits << 16) | unit;
    nbits += 16;
    while (nbits >= 6) {
      nbits -= 6;
      out += ALPHABET[(bits >> nbits) & 0x3f];
    }
    bits &= (1 << nbits) - 1;
  }
  if (nbits > 0) out += ALPHABET[(bits << (6 - nbits)) & 0x3f];
  return `&${out}-`;
}

/** Unicode → modified UTF-7. Throws Mutf7Error for NUL or unpaired surrogates. */
export function encodeMutf7(name: string): string {
  let out = '';
  let run: number[] = [];
  for (let i = 0; i < name.length; i++) {
    const unit = name.charCodeAt(i);
    if (unit === 0) throw new Mutf7Error('NUL in mailbox name');
    if (isHigh(unit)) {
      const next = name.charCodeAt(i + 1);
      if (!isLow(next)) throw new Mutf7Error('unpaired surrogate');
      run.push(unit, next);
      i++;
      continue;
    }
    if (isLow(unit)) throw new Mutf7Error('unpaired surrogate');
    if (!isDirect(unit)) {
      run.push(unit);
      continue;
    }
    if (run.length > 0) {
      out += encodeRun(run);
      run = [];
    }
    out += unit === 0x26 ? '&-' : name[i];
  }
  if (run.length > 0) out += encodeRun(run);
  return out;
}

function decodeRun(b64: string): string {
  const units: number[] = [];
  let bits = 0;
  let nbits = 0;
  for (let i = 0; i < b64.length; i++) {
    const v = VALUE[b64.charCodeAt(i)] ?? -1;
    if (v < 0) throw new Mutf7Error('invalid modified base64 character');
    bits = ((bits << 6) | v) & 0xffffff;
    nbits += 6;
    if (nbits >= 16) {
      nbits -= 16;
      units.push((bits >> nbits) & 0xffff);
    }
  }
  // RFC 2152 padding: fewer than 6 leftover bits, all zero.
  if (nbits >= 6 || (bits & ((1 << nbits) - 1)) !== 0) throw new Mutf7Error('bad base64 padding');
  let out = '';
  for (let i = 0; i < units.length; i++) {
    const unit = units[i] ?? 0;
    if (unit === 0) throw new Mutf7Error('NUL in mailbox name');
    if (isDirect(unit)) throw new Mutf7Error('printable ASCII must not be base64-encoded');
    if (isLow(unit)) throw new Mutf7Error('unpaired surrogate');
    if (isHigh(unit)) {
      const next = units[i + 1] ?? 0;
      if (!isLow(next)) throw new Mutf7Error('unpaired surrogate');
      out += String.fromCharCode(unit, next);
      i++;
      continue;
    }
    out += String.fromCharCode(unit);
  }
  return out;
}

/** Modified UTF-7 → Unicode. Throws Mutf7Error on any non-canonical input. */
export function decodeMutf7(wire: string): string {
  let out = '';
  let afterRun = false;
  let i = 0;
  while (i < wire.length) {
    const c = wire.charCodeAt(i);
    if (!isDirect(c)) throw new Mutf7Error('8-bit or control character');
    if (c !== 0x26) {
      out += wire[i];
      afterRun = false;
      i++;
      continue;
    }
    const end = wire.indexOf('-', i + 1);
    if (end < 0) throw new Mutf7Error('unterminated shift');
    if (end === i + 1) {
      out += '&';
      afterRun = false;
    } else {
      // Two runs back to back would have been one run when encoded.
      if (afterRun) throw new Mutf7Error('adjacent base64 runs');
      out += decodeRun(wire.slice(i + 1, end));
      afterRun = true;
    }
    i = end + 1;
  }
  return out;
}

export function isValidMutf7(wire: string): boolean {
  try {
    decodeMutf7(wire);
    return true;
  } catch {
    return false;
  }
}
