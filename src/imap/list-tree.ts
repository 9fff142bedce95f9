/**
 * The mailbox hierarchy as LIST and LSUB see it (RFC 3501 §6.3.8–9,
 * RFC 5258): stored mailboxes plus the names between them that do not exist
 * (a deleted parent, RFC 3501 §6.3.4), and the `*` / `%` pattern matcher.
 */
import type { Mailbox } from '../storage/types.js';
import { SEPARATOR } from './mailboxes.js';

export interface TreeEntry {
  readonly path: string;
  /** Null for a name that only exists as the parent of others. */
  readonly mailbox: Mailbox | null;
  readonly hasChildren: boolean;
}

function ancestorsOf(path: string): string[] {
  const out: string[] = [];
  for (let i = path.indexOf(SEPARATOR); i >= 0; i = path.indexOf(SEPARATOR, i + 1)) out.push(path.slice(0, i));
  return out;
}

export class MailboxTree {
  readonly entries: readonly TreeEntry[];
  private readonly subscribedBelow = new Map<string, string[]>();

  constructor(mailboxes: readonly Mailbox[]) {
    const byPath = new Map(mailboxes.map((m) => [m.path, m]));
    const parents = new Set<string>();
    for (const m of mailboxes) {
      for (const a of ancestorsOf(m.path)) {
        parents.add(a);
        if (m.subscribed) {
          const list = this.subscribedBelow.get(a) ?? [];
          list.push(m.path);
          this.subscribedBelow.set(a, list);
        }
      }
    }
    const paths = [...new Set([...byPath.keys(), ...parents])];
    // INBOX first, as clients expect; then code-point order, parents before children.
    paths.sort((a, b) => (a === 'INBOX' ? -1 : b === 'INBOX' ? 1 : a < b ? -1 : a > b ? 1 : 0));
    this.entries = paths.map((path) => ({ path, mailbox: byPath.get(path) ?? null, hasChildren: parents.has(path) }));
  }

  /** Subscribed mailboxes below `path` (RFC 5258 CHILDINFO, RFC 3501 LSUB `%` rule). */
  subscribedDescendants(path: string): readonly string[] {
    return this.subscribedBelow.get(path) ?? [];
  }
}

type Token = { readonly kind: 'lit'; readonly ch: string } | { readonly kind: 'star' } | { readonly kind: 'pct' };

/**
 * Compiles a LIST pattern: `*` matches anything, `%` anything but the
 * separator (RFC 3501 §6.3.8); INBOX at the start matches case-insensitively
 * (RFC 3501 §5.1). Matching is a dynamic program over name × pattern, so
 * hostile patterns cost O(n·m), never exponential backtracking.
 */
export function compilePattern(pattern: string): (name: string) => boolean {
  let p = pattern;
  if (p.slice(0, 5).toUpperCase() === 'INBOX' && (p.length === 5 || p[5] === SEPARATOR)) p = `INBOX${p.slice(5)}`;
  const tokens: Token[] = [];
  for (const ch of p) {
    const last = tokens[tokens.length - 1];
    if (ch === '*' || ch === '%') {
      // `**`, `*%` and `%*` mean `*`; `%%` means `%`.
      if (last?.kind === 'star') continue;
      if (last?.kind === 'pct') {
        if (ch === '*') tokens[tokens.length - 1] = { kind: 'star' };
        continue;
      }
      tokens.push(ch === '*' ? { kind: 'star' } : { kind: 'pct' });
    } else {
      // for..of yields code points; compare code units so names and patterns agree.
      for (let i = 0; i < ch.length; i++) tokens.push({ kind: 'lit', ch: ch.charAt(i) });
    }
  }
  let prefix = '';
  for (const t of tokens) {
    if (t.kind !== 'lit') break;
    prefix += t.ch;
  }
  return (name: string): boolean => {
    if (!name.startsWith(prefix)) return false;
    const n = name.length;
    let prev = new Uint8Array(n + 1);
    prev[0] = 1;
    for (const t of tokens) {
      const cur = new Uint8Array(n + 1);
      if (t.kind === 'lit') {
        for (let j = 1; j <= n; j++) cur[j] = prev[j - 1] === 1 && name[j - 1] === t.ch ? 1 : 0;
      } else {
        cur[0] = prev[0] ?? 0;
        for (let j = 1; j <= n; j++) {
          const extend = cur[j - 1] === 1 && (t.kind === 'star' || name[j - 1] !== SEPARATOR);
          cur[j] = prev[j] === 1 || extend ? 1 : 0;
        }
      }
      prev = cur;
    }
    return prev[n] === 1;
  };
}

/**
 * The reference argument names a level of hierarchy the pattern is
 * relative to (RFC 3501 §6.3.8); with "/" as separator, joining them is the
 * usual interpretation.
 */
export function joinReference(reference: string, pattern: string): string {
  if (reference === '' || pattern.startsWith(SEPARATOR)) return pattern;
  return reference.endsWith(SEPARATOR) ? reference + pattern : `${reference}${SEPARATOR}${pattern}`;
}
