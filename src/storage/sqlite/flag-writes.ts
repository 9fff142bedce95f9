/**
 * STORE's storage side: changing the flags of many messages in one
 * transaction with a handful of statements instead of two per message.
 * Adding or removing system flags is one UPDATE; other changes group the
 * messages by current flag state (a mailbox has few distinct ones), one
 * UPDATE per state; either way the changed messages are journalled with one
 * INSERT ... SELECT per resulting state.
 */
import { NotFoundError } from '../errors.js';
import { decodeKeywords, encodeKeywords, joinFlags, mergeKeywords, removeKeywords, splitFlags, type SplitFlags } from '../flags.js';
import type { FlagChange, FlagChangeResult } from '../interface.js';
import type { ChangeEvent } from '../types.js';
import type { UidRanges } from '../query.js';
import type { SqliteContext, TxEvents } from './context.js';
import { mailboxRowById } from './mailboxes.js';
import { rangesSql } from './ranges.js';

/**
 * More distinct states than this (keyword-heavy mailboxes) would mean as
 * many scans of the range; messages then change one by one instead.
 */
const MAX_STATE_STATEMENTS = 16;

interface NextState {
  bits: number;
  keywords: string[];
}

function nextState(mode: FlagChange['mode'], want: SplitFlags, bits: number, current: readonly string[]): NextState {
  switch (mode) {
    case 'set':
      return { bits: want.bits, keywords: want.keywords };
    case 'add':
      return { bits: bits | want.bits, keywords: mergeKeywords(current, want.keywords) };
    case 'remove':
      return { bits: bits & ~want.bits, keywords: removeKeywords(current, want.keywords) };
  }
}

function sameKeywords(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a.map((k) => k.toLowerCase()));
  return b.every((k) => set.has(k.toLowerCase()));
}

type Params = Array<string | number>;

/**
 * System flags added or removed (the usual STORE): one UPDATE with bit
 * arithmetic, no need to know the messages' states first.
 */
function changeBits(ctx: SqliteContext, where: string, params: Params, change: FlagChange, bits: number, modseq: number, result: FlagChangeResult): void {
  const add = change.mode === 'add';
  const newBits = add ? 'sysflags | ?' : 'sysflags & ~?';
  const differs = add ? '(sysflags & ?) != ?' : '(sysflags & ?) != 0';
  const differsParams = add ? [bits, bits] : [bits];
  if (change.listUnchanged !== false) {
    const rows = ctx
      .raw<Params, [number, number, number, string]>(`SELECT uid, modseq, sysflags, keywords FROM messages WHERE ${where} AND NOT (${differs})`)
      .all(...params, ...differsParams);
    for (const [uid, m, b, k] of rows) result.unchanged.push({ uid, modseq: m, flags: joinFlags(b, decodeKeywords(k)) });
  }
  ctx.stmt(`UPDATE messages SET sysflags = ${newBits}, modseq = ? WHERE ${where} AND ${differs}`).run(bits, modseq, ...params, ...differsParams);
}

/**
 * Anything else (keywords, replacing flags): the matched messages grouped
 * by current state, one UPDATE per state that changes.
 */
function changeStates(ctx: SqliteContext, where: string, params: Params, change: FlagChange, want: SplitFlags, modseq: number, result: FlagChangeResult): void {
  const states = ctx.raw<Params, [number, string]>(`SELECT sysflags, keywords FROM messages WHERE ${where} GROUP BY sysflags, keywords`).all(...params);
  if (states.length > MAX_STATE_STATEMENTS) return changeEach(ctx, where, params, change, want, modseq, result);
  for (const [bits, encoded] of states) {
    const current = decodeKeywords(encoded);
    const next = nextState(change.mode, want, bits, current);
    const state = [...params, bits, encoded];
    if (next.bits === bits && sameKeywords(current, next.keywords)) {
      if (change.listUnchanged === false) continue;
      const flags = joinFlags(bits, current);
      const rows = ctx.raw<Params, [number, number]>(`SELECT uid, modseq FROM messages WHERE ${where} AND sysflags = ? AND keywords = ?`).all(...state);
      for (const [uid, m] of rows) result.unchanged.push({ uid, modseq: m, flags: [...flags] });
      continue;
    }
    ctx
      .stmt(`UPDATE messages SET sysflags = ?, keywords = ?, modseq = ? WHERE ${where} AND sysflags = ? AND keywords = ?`)
      .run(next.bits, encodeKeywords(next.keywords), modseq, ...state);
  }
}

/** Many distinct states: message by message. */
function changeEach(ctx: SqliteContext, where: string, params: Params, change: FlagChange, want: SplitFlags, modseq: number, result: FlagChangeResult): void {
  const update = ctx.stmt('UPDATE messages SET sysflags = ?, keywords = ?, modseq = ? WHERE id = ?');
  const rows = ctx.raw<Params, [number, number, number, number, string]>(`SELECT id, uid, modseq, sysflags, keywords FROM messages WHERE ${where}`).all(...params);
  for (const [id, uid, m, bits, encoded] of rows) {
    const current = decodeKeywords(encoded);
    const next = nextState(change.mode, want, bits, current);
    if (next.bits === bits && sameKeywords(current, next.keywords)) {
      if (change.listUnchanged !== false) result.unchanged.push({ uid, modseq: m, flags: joinFlags(bits, current) });
      continue;
    }
    update.run(next.bits, encodeKeywords(next.keywords), modseq, id);
  }
}

export function updateFlagsInTx(
  ctx: SqliteContext,
  tx: TxEvents,
  mailboxId: string,
  ranges: UidRanges,
  change: FlagChange,
): FlagChangeResult {
  const mailbox = mailboxRowById(ctx, mailboxId);
  if (!mailbox) throw new NotFoundError('mailbox');
  const want = splitFlags(change.flags);
  const modseq = mailbox.modseq + 1;
  const result: FlagChangeResult = { modseq: mailbox.modseq, previousModseq: mailbox.modseq, changed: [], unchanged: [], conflicts: [] };
  const params: Params = [mailboxId];
  let where = `mailbox_id = ? AND ${rangesSql(ranges, params)}`;
  if (change.unchangedSince !== undefined) {
    result.conflicts = ctx
      .pluck<Params, number>(`SELECT uid FROM messages WHERE ${where} AND modseq > ? ORDER BY uid`)
      .all(...params, change.unchangedSince);
    where += ' AND modseq <= ?';
    params.push(change.unchangedSince);
  }
  // Rows changed here get the new modseq; excluding it keeps a state's UPDATE from matching rows another just moved into it.
  where += ' AND modseq < ?';
  params.push(modseq);
  if (change.mode !== 'set' && want.keywords.length === 0) changeBits(ctx, where, params, change, want.bits, modseq, result);
  else changeStates(ctx, where, params, change, want, modseq, result);

  // Only this change's messages carry the new modseq: journal them per resulting state, in one statement each.
  const now = Date.now();
  const states = ctx
    .raw<Params, [number, string]>('SELECT sysflags, keywords FROM messages WHERE mailbox_id = ? AND modseq = ? GROUP BY sysflags, keywords')
    .all(mailboxId, modseq);
  const journal = ctx.raw<Params, [number, number]>(
    `INSERT INTO journal (user_id, mailbox_id, kind, uid, modseq, flags, path, created)
     SELECT ?, mailbox_id, 'flags', uid, modseq, ?, NULL, ? FROM messages
     WHERE mailbox_id = ? AND modseq = ? AND sysflags = ? AND keywords = ?
     RETURNING id, uid`,
  );
  const events: ChangeEvent[] = [];
  for (const [bits, encoded] of states) {
    const flags = joinFlags(bits, decodeKeywords(encoded));
    for (const [journalId, uid] of journal.all(mailbox.user_id, JSON.stringify(flags), now, mailboxId, modseq, bits, encoded)) {
      result.changed.push({ uid, modseq, flags: [...flags] });
      events.push({ userId: mailbox.user_id, mailboxId, kind: 'flags', journalId, uid, modseq });
    }
  }
  result.changed.sort((a, b) => a.uid - b.uid);
  result.unchanged.sort((a, b) => a.uid - b.uid);
  events.sort((a, b) => (a.journalId ?? 0) - (b.journalId ?? 0));
  for (const ev of events) tx.events.push(ev);
  if (result.changed.length > 0) {
    ctx.stmt('UPDATE mailboxes SET modseq = ? WHERE id = ?').run(modseq, mailboxId);
    result.modseq = modseq;
  }
  return result;
}
