/**
 * One `* n FETCH (...)` response's contents (RFC 3501 §7.4.2): the flat list
 * of item names and values, ready for the writer. Reads storage, writes
 * nothing: setting \Seen for non-PEEK bodies is the handler's job (it then
 * renders again, or adds FLAGS, with the updated record).
 *
 * ENVELOPE, BODY and BODYSTRUCTURE come from the record's precomputed data;
 * header sections from the stored header block; body sections are streamed
 * literals read from storage when the writer reaches them.
 */
import type { RecordFields, Store } from '../../storage/interface.js';
import type { MessageRecord, MessageSummary } from '../../storage/types.js';
import { bodyNonExtensible, bodyStructure } from '../proto/bodystructure.js';
import { formatDateTime } from '../proto/dates.js';
import { envelopeValue } from '../proto/envelope.js';
import { fetchItemResponseName, type FetchItem } from '../proto/fetch.js';
import { encoded, flag, literal, raw, streamLiteral, type ImapValue } from '../proto/values.js';
import { isValidAtom } from '../proto/chars.js';
import { binarySizeValue, binaryValue } from './binary.js';
import { applyPartial, SectionResolver, sectionSize, type SectionData } from './sections.js';
import { emailObjectId, threadObjectId } from '../objectid.js';
import { RENDITIONS } from './renditions.js';
import { nulSafe, replaceNul } from './streams.js';

export { UnknownCteError } from './binary.js';

export interface FetchRenderContext {
  store: Store;
  /** UID FETCH (RFC 3501 §6.4.8): UID goes first in every response. */
  includeUid: boolean;
  /** CONDSTORE enabled or CHANGEDSINCE given (RFC 7162 §3.1.4.1): MODSEQ in every response. */
  includeModseq: boolean;
  /** Whether this session sees the message as \Recent (RFC 3501 §2.3.2); FLAGS then includes it. */
  recent?: (uid: number) => boolean;
}

/** Items a MessageSummary can answer: listing rows, no MIME data (the cheap path for `FETCH 1:* (UID FLAGS)`). */
const SUMMARY_ITEMS: ReadonlySet<FetchItem['type']> = new Set(['uid', 'flags', 'modseq', 'internaldate', 'rfc822.size']);

/** The stored rendition that answers an item, for the items one answers. */
export const RENDITION_OF: Readonly<Partial<Record<FetchItem['type'], string>>> = {
  envelope: RENDITIONS.envelope,
  body: RENDITIONS.body,
  bodystructure: RENDITIONS.bodystructure,
};

/**
 * False when every item can be answered from a MessageSummary, or, with
 * `renditions` (the session writes the stored serialisation), from summary
 * columns plus stored renditions: then page cheap rows instead of full
 * records. The header listing every client makes on opening a mailbox
 * (`FETCH 1:* (UID FLAGS RFC822.SIZE ENVELOPE BODYSTRUCTURE)`) is of this kind.
 */
export function needsFullRecord(items: readonly FetchItem[], renditions = false): boolean {
  return items.some((item) => !SUMMARY_ITEMS.has(item.type) && !(renditions && RENDITION_OF[item.type] !== undefined));
}

/**
 * Which heavy parts of the record the items read, so storage can leave the
 * rest out: BODYSTRUCTURE needs the MIME tree only (or just its rendition),
 * ENVELOPE the envelope only (or its rendition); sections need the stored
 * header and the body, and the tree when they name a part (BINARY always
 * does). The overview fields are never read here.
 */
export function recordFields(items: readonly FetchItem[], useRenditions: boolean): RecordFields {
  const fields = { blob: false, envelope: false, mime: false, header: false, overview: false };
  const renditions: string[] = [];
  const structure = (name: string): void => {
    if (useRenditions) renditions.push(name);
    else fields.mime = true;
  };
  for (const item of items) {
    switch (item.type) {
      case 'envelope':
        if (useRenditions) renditions.push(RENDITIONS.envelope);
        else fields.envelope = true;
        break;
      case 'body':
        structure(RENDITIONS.body);
        break;
      case 'bodystructure':
        structure(RENDITIONS.bodystructure);
        break;
      case 'rfc822':
      case 'rfc822.header':
      case 'rfc822.text':
        fields.blob = true;
        fields.header = true;
        break;
      case 'body-section':
        fields.blob = true;
        fields.header = true;
        // Top-level sections (BODY[], BODY[HEADER.FIELDS (...)]) are located without the MIME tree.
        if (item.section.part.length > 0) fields.mime = true;
        break;
      case 'emailid':
        fields.blob = true;
        break;
      case 'preview':
        fields.overview = true;
        break;
      case 'binary':
      case 'binary.size':
        fields.blob = true;
        fields.mime = true;
        fields.header = true;
        break;
      default:
        break;
    }
  }
  return { ...fields, renditions: [...new Set(renditions)] };
}

function isRecord(record: MessageRecord | MessageSummary): record is MessageRecord {
  return 'mime' in record;
}

function fullRecord(record: MessageRecord | MessageSummary, item: FetchItem): MessageRecord {
  if (isRecord(record)) return record;
  // A programming error in the caller: needsFullRecord() said this item needs the record.
  throw new TypeError(`FETCH ${fetchItemResponseName(item)} needs a MessageRecord, got a MessageSummary`);
}

/** Flag values by name: a mailbox has few distinct flags, and FETCH 1:* FLAGS renders them 100,000 times. */
const flagValues = new Map<string, ImapValue | null>();

/** Stored flags that are not valid flag atoms cannot be sent; storage validates them, this is a last guard. */
export function flagValue(name: string): ImapValue | null {
  let v = flagValues.get(name);
  if (v === undefined) {
    const bare = name.startsWith('\\') ? name.slice(1) : name;
    v = isValidAtom(bare) ? flag(name) : null;
    if (flagValues.size < 10_000) flagValues.set(name, v);
  }
  return v;
}

function flagsValue(record: MessageRecord | MessageSummary, ctx: FetchRenderContext): ImapValue {
  const flags: ImapValue[] = [];
  for (const name of record.flags) {
    const v = flagValue(name);
    if (v !== null) flags.push(v);
  }
  if (ctx.recent?.(record.uid) === true) flags.push(flag('\\Recent'));
  return flags;
}

/**
 * INTERNALDATE in the server's local zone at that instant: storage keeps the
 * instant only, and SEARCH BEFORE/ON/SINCE compare days in the same zone
 * (src/imap/search/dates.ts), so the date a client sees is the day it searches.
 */
export function internalDateValue(date: Date): ImapValue {
  return formatDateTime(date.getTime(), -date.getTimezoneOffset());
}

/**
 * Sections up to this size are read into the response rather than streamed:
 * the whole response then leaves in one socket write (a streamed literal is
 * written in pieces), and a small read needs no stream machinery.
 */
const INLINE_SECTION = 64 * 1024;

/** Section octets as a literal: BODY[] data is always a literal (as Dovecot sends it), NUL replaced. */
function sectionValue(store: Store, record: MessageRecord, data: SectionData): ImapValue | Promise<ImapValue> {
  if (data.kind === 'bytes') return literal(replaceNul(data.bytes));
  const size = sectionSize(data);
  if (size === 0) return literal(Buffer.alloc(0));
  if (size <= INLINE_SECTION) return store.messages.read(record, data.start, data.end).then((bytes) => literal(replaceNul(bytes)));
  return streamLiteral(size, () => nulSafe(store.messages.open(record, data.start, data.end)));
}

/** Synchronous for everything the record holds, so that `FETCH 1:* (UID FLAGS)` costs no promise per item. */
function itemValue(
  record: MessageRecord | MessageSummary,
  item: FetchItem,
  ctx: FetchRenderContext,
  sections: () => SectionResolver,
): ImapValue | Promise<ImapValue> {
  switch (item.type) {
    case 'uid':
      return record.uid;
    case 'flags':
      return flagsValue(record, ctx);
    case 'modseq':
      // RFC 7162 §3.1.4.1: `MODSEQ (n)`.
      return [record.modseq];
    case 'internaldate':
      return internalDateValue(record.internalDate);
    case 'savedate':
      // RFC 8514 §3: every mailbox here keeps save dates, so never NIL (older copies answer their internal date).
      return internalDateValue(record.savedDate);
    case 'rfc822.size':
      return record.size;
    case 'envelope': {
      const full = fullRecord(record, item);
      const stored = full.rendition(RENDITIONS.envelope);
      return stored === null ? envelopeValue(full.envelope) : encoded(stored);
    }
    case 'body': {
      const full = fullRecord(record, item);
      const stored = full.rendition(RENDITIONS.body);
      return stored === null ? bodyNonExtensible(full.mime) : encoded(stored);
    }
    case 'bodystructure': {
      const full = fullRecord(record, item);
      const stored = full.rendition(RENDITIONS.bodystructure);
      return stored === null ? bodyStructure(full.mime) : encoded(stored);
    }
    case 'rfc822':
      return sectionValue(ctx.store, fullRecord(record, item), { kind: 'range', start: 0, end: record.size });
    case 'rfc822.header':
      return sectionValue(ctx.store, fullRecord(record, item), sections().rootHeaderSection());
    case 'rfc822.text':
      return sectionValue(ctx.store, fullRecord(record, item), sections().rootTextSection());
    case 'body-section': {
      const full = fullRecord(record, item);
      const partial = item.partial;
      return sections().resolve(item.section).then((data) => sectionValue(ctx.store, full, applyPartial(data, partial)));
    }
    case 'binary':
      return binaryValue(ctx.store, fullRecord(record, item), item.part, item.partial);
    case 'binary.size':
      return binarySizeValue(ctx.store, fullRecord(record, item), item.part);
    case 'emailid':
      // RFC 8474 §5.1: `EMAILID (objectid)`.
      return [raw(emailObjectId(fullRecord(record, item).blob))];
    case 'preview': {
      // RFC 8970 §4: at most 256 characters of plain text, or NIL when there is none.
      const text = fullRecord(record, item).preview;
      return text === '' ? null : text.slice(0, 256);
    }
    case 'threadid':
      // RFC 8474 §5.2: `THREADID (objectid)`, or NIL for a message in no thread.
      return record.threadId ? [raw(threadObjectId(record.threadId))] : null;
  }
}

/**
 * The name/value pairs inside `* n FETCH (...)`: UID first when `includeUid`
 * or asked for, then the items in request order (each response name once),
 * then MODSEQ when `includeModseq` and not asked for.
 *
 * A MessageSummary is enough when `needsFullRecord(items)` is false; anything
 * else throws a TypeError. @throws UnknownCteError for BINARY of a part with
 * an encoding the server cannot decode (answer `NO [UNKNOWN-CTE]`).
 */
export function fetchResponse(
  record: MessageRecord | MessageSummary,
  items: readonly FetchItem[],
  ctx: FetchRenderContext,
): ImapValue[] | Promise<ImapValue[]> {
  let resolver: SectionResolver | null = null;
  const sections = (): SectionResolver => {
    if (resolver !== null) return resolver;
    if (!isRecord(record)) throw new TypeError('body sections need a MessageRecord');
    resolver = new SectionResolver(record, ctx.store);
    return resolver;
  };
  const plan = fetchPlan(items, ctx);
  const out: ImapValue[] = [];
  // Synchronous until an item needs storage: `FETCH 1:* (UID FLAGS)` then costs no promise per message.
  for (let i = 0; i < plan.length; i++) {
    const { item, name } = plan[i]!;
    const value = itemValue(record, item, ctx, sections);
    if (value instanceof Promise) return finishAsync(record, plan, i, name, value, out, ctx, sections);
    out.push(name, value);
  }
  return out;
}

async function finishAsync(
  record: MessageRecord | MessageSummary,
  plan: readonly PlannedItem[],
  from: number,
  name: ImapValue,
  pending: Promise<ImapValue>,
  out: ImapValue[],
  ctx: FetchRenderContext,
  sections: () => SectionResolver,
): Promise<ImapValue[]> {
  out.push(name, await pending);
  for (let i = from + 1; i < plan.length; i++) {
    const { item, name: n } = plan[i]!;
    const value = itemValue(record, item, ctx, sections);
    out.push(n, value instanceof Promise ? await value : value);
  }
  return out;
}

export interface PlannedItem {
  readonly item: FetchItem;
  readonly name: ImapValue;
}

/** Plans per item list (the handler passes the same array for every message), by includeUid/includeModseq. */
const plans = new WeakMap<readonly FetchItem[], Map<number, PlannedItem[]>>();

/** Response order and names, computed once per command rather than once per message. */
export function fetchPlan(items: readonly FetchItem[], ctx: FetchRenderContext): PlannedItem[] {
  const key = (ctx.includeUid ? 1 : 0) | (ctx.includeModseq ? 2 : 0);
  let byKey = plans.get(items);
  const cached = byKey?.get(key);
  if (cached !== undefined) return cached;
  const ordered: FetchItem[] = [];
  if (ctx.includeUid || items.some((i) => i.type === 'uid')) ordered.push({ type: 'uid' });
  ordered.push(...items.filter((i) => i.type !== 'uid'));
  if (ctx.includeModseq && !items.some((i) => i.type === 'modseq')) ordered.push({ type: 'modseq' });
  const plan: PlannedItem[] = [];
  const seen = new Set<string>();
  for (const item of ordered) {
    const name = fetchItemResponseName(item);
    // BODY[1] and BODY.PEEK[1] share a response name: answer it once (RFC 3501 §7.4.2 has one value per name).
    if (seen.has(name)) continue;
    seen.add(name);
    plan.push({ item, name: raw(name) });
  }
  if (byKey === undefined) {
    byKey = new Map();
    plans.set(items, byKey);
  }
  byKey.set(key, plan);
  return plan;
}
