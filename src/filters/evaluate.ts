/**
 * Filter evaluation: a pure function from filters and message facts to a
 * decision. Filters run in creation order; every action key is decided by the
 * first matching filter that sets it (true or, explicitly, false); forward
 * targets accumulate over all matching filters.
 */
import type { DeliveryFacts } from './facts.js';
import type { Filter, FilterAction, FilterQuery } from './types.js';

export interface FilterDecision {
  seen?: boolean;
  flag?: boolean;
  delete?: boolean;
  spam?: boolean;
  /** Target mailbox id. */
  mailbox?: string;
  /** Forward targets (addresses or URLs), in first-seen order, without duplicates. */
  targets: string[];
  /** Ids of the filters that matched, in order. */
  matched: string[];
}

const has = (haystack: string, needle: string): boolean => haystack.toLowerCase().includes(needle.toLowerCase());
const stripBrackets = (v: string): string => v.trim().replace(/^<(.*)>$/, '$1').trim();

/** Conditions actually given: empty strings and zero sizes count as not given. */
function conditions(query: FilterQuery): number {
  let n = 0;
  if (query.from) n++;
  if (query.to) n++;
  if (query.subject) n++;
  if (query.listId && stripBrackets(query.listId)) n++;
  if (query.text) n++;
  if (typeof query.ha === 'boolean') n++;
  if (typeof query.size === 'number' && query.size !== 0) n++;
  return n;
}

/**
 * Whether every given condition holds. A query with no condition matches
 * nothing: a blank filter must not catch (and maybe delete) all mail.
 */
export function matchesQuery(query: FilterQuery, facts: DeliveryFacts): boolean {
  if (conditions(query) === 0) return false;
  if (query.from && !has(facts.from, query.from)) return false;
  if (query.to && !facts.to.some((t) => has(t, query.to!))) return false;
  if (query.subject && !has(facts.subject, query.subject)) return false;
  if (query.listId && stripBrackets(query.listId)) {
    if (facts.listId === null || facts.listId.toLowerCase() !== stripBrackets(query.listId).toLowerCase()) return false;
  }
  if (query.text && !has(facts.text, query.text)) return false;
  if (typeof query.ha === 'boolean' && facts.hasAttachments !== query.ha) return false;
  if (typeof query.size === 'number' && query.size !== 0) {
    if (query.size > 0 ? !(facts.size > query.size) : !(facts.size < -query.size)) return false;
  }
  return true;
}

const BOOLEAN_KEYS = ['seen', 'flag', 'delete', 'spam'] as const satisfies ReadonlyArray<keyof FilterAction>;

export function evaluateFilters(filters: readonly Filter[], facts: DeliveryFacts): FilterDecision {
  const decision: FilterDecision = { targets: [], matched: [] };
  const seenTargets = new Set<string>();
  for (const filter of filters) {
    if (filter.disabled || !matchesQuery(filter.query, facts)) continue;
    decision.matched.push(filter.id);
    const action = filter.action;
    for (const key of BOOLEAN_KEYS) {
      if (decision[key] === undefined && typeof action[key] === 'boolean') decision[key] = action[key];
    }
    if (decision.mailbox === undefined && typeof action.mailbox === 'string' && action.mailbox !== '') decision.mailbox = action.mailbox;
    for (const t of action.targets ?? []) {
      const target = t.trim();
      const key = target.toLowerCase();
      if (target && !seenTargets.has(key)) {
        seenTargets.add(key);
        decision.targets.push(target);
      }
    }
  }
  return decision;
}
