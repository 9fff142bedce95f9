/**
 * The filter and autoreply model shared by the delivery pipeline (which
 * evaluates it) and the admin API (which edits it). Shapes follow WildDuck's
 * API so its clients keep working.
 */

/** What a filter matches. Every given condition must hold (AND). */
export interface FilterQuery {
  /** Substring of the From header (name or address), case-insensitive. */
  from?: string;
  /** Substring of To, Cc or Delivered-To, case-insensitive. */
  to?: string;
  /** Substring of the decoded Subject, case-insensitive. */
  subject?: string;
  /** List-Id equals (case-insensitive, without angle brackets). */
  listId?: string;
  /** Substring of the decoded body text, case-insensitive. */
  text?: string;
  /** Has attachments (true) or has none (false). */
  ha?: boolean;
  /** Positive: larger than this many bytes; negative: smaller than its absolute value. */
  size?: number;
}

/**
 * What a matching filter does. Booleans are tri-state: true sets, false
 * explicitly unsets (a later filter cannot set it), absent leaves it open.
 */
export interface FilterAction {
  /** Mark \Seen. */
  seen?: boolean;
  /** Mark \Flagged. */
  flag?: boolean;
  /** Discard the message (no copy stored). */
  delete?: boolean;
  /** Treat as spam (store in Junk) — true — or as not spam — false, overriding the spam headers. */
  spam?: boolean;
  /** Target mailbox id. */
  mailbox?: string;
  /** Forward targets: email addresses or http(s) URLs (POST of the raw message). Accumulate across filters. */
  targets?: string[];
}

export interface Filter {
  id: string;
  userId: string;
  name: string;
  query: FilterQuery;
  action: FilterAction;
  disabled: boolean;
  created: Date;
}

export interface NewFilter {
  name?: string;
  query: FilterQuery;
  action: FilterAction;
  disabled?: boolean;
}

export interface FilterPatch {
  name?: string;
  query?: FilterQuery;
  action?: FilterAction;
  disabled?: boolean;
}

/** Vacation responder settings (RFC 3834 rules are applied by the pipeline). */
export interface Autoreply {
  userId: string;
  status: boolean;
  /** From name used in the reply. */
  name: string;
  /** Subject; empty: "Auto: <original subject>". */
  subject: string;
  text: string;
  html: string;
  /** Active from / until (inclusive window); null: unbounded. */
  start: Date | null;
  end: Date | null;
  created: Date;
}

export type AutoreplyInput = Partial<Omit<Autoreply, 'userId' | 'created'>>;
