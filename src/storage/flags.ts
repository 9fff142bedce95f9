import { SYSTEM_FLAGS, type SystemFlag } from './types.js';

/** System flags are kept as bits so unseen/deleted lookups can use partial indexes. */
export const FLAG_BITS: Record<SystemFlag, number> = {
  '\\Seen': 1,
  '\\Answered': 2,
  '\\Flagged': 4,
  '\\Deleted': 8,
  '\\Draft': 16,
};

const byLower = new Map<string, SystemFlag>(SYSTEM_FLAGS.map((f) => [f.toLowerCase(), f]));

/** The canonical system flag for a case-insensitive spelling, or null for keywords. */
export function systemFlag(flag: string): SystemFlag | null {
  return byLower.get(flag.toLowerCase()) ?? null;
}

export interface SplitFlags {
  bits: number;
  /** Keywords, deduplicated case-insensitively, first spelling kept. */
  keywords: string[];
}

/** Splits a flag list into bits and keywords; \Recent and other unknown backslash flags are dropped. */
export function splitFlags(flags: readonly string[]): SplitFlags {
  let bits = 0;
  const keywords: string[] = [];
  const seen = new Set<string>();
  for (const flag of flags) {
    const sys = systemFlag(flag);
    if (sys) bits |= FLAG_BITS[sys];
    else if (!flag.startsWith('\\')) {
      const key = flag.toLowerCase();
      if (!seen.has(key)) {
        seen.add(key);
        keywords.push(flag);
      }
    }
  }
  return { bits, keywords };
}

export function joinFlags(bits: number, keywords: readonly string[]): string[] {
  const out: string[] = [];
  for (const flag of SYSTEM_FLAGS) if (bits & FLAG_BITS[flag]) out.push(flag);
  out.push(...keywords);
  return out;
}

/** Keywords are stored as a JSON array; '' means none (the common case, kept cheap). */
export function encodeKeywords(keywords: readonly string[]): string {
  return keywords.length === 0 ? '' : JSON.stringify(keywords);
}

export function decodeKeywords(text: string): string[] {
  return text === '' ? [] : (JSON.parse(text) as string[]);
}

export function mergeKeywords(current: readonly string[], add: readonly string[]): string[] {
  const have = new Set(current.map((k) => k.toLowerCase()));
  const out = [...current];
  for (const k of add) if (!have.has(k.toLowerCase())) (have.add(k.toLowerCase()), out.push(k));
  return out;
}

export function removeKeywords(current: readonly string[], remove: readonly string[]): string[] {
  const drop = new Set(remove.map((k) => k.toLowerCase()));
  return current.filter((k) => !drop.has(k.toLowerCase()));
}
