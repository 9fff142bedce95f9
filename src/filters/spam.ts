/**
 * Spam decisions: a pure function of the message's spam-filter headers, the
 * user's spam level and an explicit filter decision (which always wins).
 *
 * Spam level (user.settings.spamLevel, WildDuck's scale): 0..100, higher is
 * more lenient. 100 never treats a message as spam because of its headers;
 * below that a flag header (X-Spam-Flag: YES, ...) makes it spam, and a
 * numeric score header makes it spam when score >= threshold * level / 50
 * (so at the default 50 the configured threshold applies as is, and at 0
 * any non-negative score is spam).
 */
import type { DeliveryConfig } from '../config/schema.js';
import type { HeaderField } from '../mime/headers.js';

export interface SpamRules {
  /** Lowercased header key and value prefix. */
  flags: Array<{ key: string; prefix: string; text: string }>;
  /** Lowercased header keys carrying a score. */
  scoreKeys: string[];
  threshold: number;
  defaultLevel: number;
}

export type SpamReason = 'filter' | 'header' | 'score' | 'level' | 'clean';

export interface SpamVerdict {
  spam: boolean;
  /** Why: a filter decided, a flag header, the score, the user's level overrode headers, or nothing matched. */
  reason: SpamReason;
  /** The header rule or score that decided, for logs. */
  detail?: string;
}

export function compileSpamRules(config: Pick<DeliveryConfig, 'spamHeaders' | 'spamScoreHeaders' | 'spamScoreThreshold' | 'defaultSpamLevel'>): SpamRules {
  return {
    flags: config.spamHeaders.map((rule) => {
      const colon = rule.indexOf(':');
      return { key: rule.slice(0, colon).trim().toLowerCase(), prefix: rule.slice(colon + 1).trim().toLowerCase(), text: rule };
    }),
    scoreKeys: config.spamScoreHeaders.map((h) => h.trim().toLowerCase()),
    threshold: config.spamScoreThreshold,
    defaultLevel: config.defaultSpamLevel,
  };
}

/** The first number in a score header ("7.3", "7.3 / 15.0", "Yes, score=7.3"), or null. */
export function parseScore(value: string): number | null {
  const at = value.search(/score=/i);
  const m = /[-+]?\d+(?:\.\d+)?/.exec(at >= 0 ? value.slice(at + 6) : value);
  if (!m) return null;
  const n = Number(m[0]);
  return Number.isFinite(n) ? n : null;
}

export function spamVerdict(
  headers: readonly HeaderField[],
  rules: SpamRules,
  spamLevel: number | undefined,
  filterSpam: boolean | undefined,
): SpamVerdict {
  if (typeof filterSpam === 'boolean') return { spam: filterSpam, reason: 'filter' };
  const level = Math.min(100, Math.max(0, typeof spamLevel === 'number' && Number.isFinite(spamLevel) ? spamLevel : rules.defaultLevel));
  let flagged: string | null = null;
  let score: number | null = null;
  for (const h of headers) {
    if (flagged === null) {
      const value = h.value.trim().toLowerCase();
      const rule = rules.flags.find((r) => r.key === h.key && value.startsWith(r.prefix));
      if (rule) flagged = rule.text;
    }
    if (score === null && rules.scoreKeys.includes(h.key)) score = parseScore(h.value);
  }
  if (level >= 100) return flagged !== null || score !== null ? { spam: false, reason: 'level' } : { spam: false, reason: 'clean' };
  if (flagged !== null) return { spam: true, reason: 'header', detail: flagged };
  if (score !== null) {
    const threshold = (rules.threshold * level) / 50;
    if (score >= threshold) return { spam: true, reason: 'score', detail: `${score} >= ${threshold}` };
  }
  return { spam: false, reason: 'clean' };
}
