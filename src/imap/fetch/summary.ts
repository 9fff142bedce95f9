/**
 * FETCH responses that only carry summary items (UID, FLAGS, MODSEQ,
 * INTERNALDATE, RFC822.SIZE; `UID FETCH 1:* (UID FLAGS)` is the sync read
 * every client makes) and stored renditions (ENVELOPE, BODY, BODYSTRUCTURE:
 * the header listing) written straight from storage's summary columns as
 * protocol text: no record object, value tree or buffer per message, which
 * at 100,000 messages is most of the cost. The text is byte for byte what
 * fetchResponse() and the writer's serialisation produce for the same
 * message (test/imap/fetch/summary.test.ts holds them to it).
 */
import type { SummaryColumns, SummaryFields } from '../../storage/interface.js';
import type { FetchItem } from '../proto/fetch.js';
import { serializeValue } from '../proto/values.js';
import { fetchPlan, flagValue, internalDateValue, RENDITION_OF, type FetchRenderContext } from './render.js';

/** The columns a summary FETCH reads besides UIDs and flags (renditions in the order the items name them). */
export function summaryFields(items: readonly FetchItem[], ctx: FetchRenderContext): Required<SummaryFields> {
  const plan = fetchPlan(items, ctx);
  const types = new Set(plan.map((p) => p.item.type));
  const renditions: string[] = [];
  for (const { item } of plan) {
    const name = RENDITION_OF[item.type];
    if (name !== undefined) renditions.push(name);
  }
  return { modseq: types.has('modseq'), internalDate: types.has('internaldate'), size: types.has('rfc822.size'), renditions };
}

/** Whether some message in `cols` has no stored text for a rendition asked for (then it needs the record path). */
export function lacksRendition(cols: SummaryColumns): boolean {
  return cols.renditions.some((column) => column.includes(null));
}

/** `(\Seen \Flagged)`: the flags that can be sent, in stored order, then \Recent when the session holds it. */
function flagListText(flags: readonly string[], recent: boolean): string {
  const out: string[] = [];
  for (const name of flags) if (flagValue(name) !== null) out.push(name);
  if (recent) out.push('\\Recent');
  return `(${out.join(' ')})`;
}

/**
 * The `* n FETCH (...)` lines (CRLF-terminated) for the messages in `cols`,
 * skipping those the session has no sequence number for (seqOf 0) and, with
 * CHANGEDSINCE, those not changed since `since` (then `cols` must carry modseqs).
 * Items must be summary items only (render.ts needsFullRecord false, with
 * renditions when cols carries them) and no rendition may be missing
 * (lacksRendition false).
 */
export function summaryLines(
  cols: SummaryColumns,
  items: readonly FetchItem[],
  ctx: FetchRenderContext,
  seqOf: (uid: number) => number,
  since: number | null,
): string {
  const plan = fetchPlan(items, ctx);
  const names = plan.map((p) => serializeValue(p.name).toString('latin1'));
  // "UID ", " FLAGS ", ...: each item's name with the separators around it.
  const heads = names.map((name, k) => `${k > 0 ? ' ' : ''}${name} `);
  const types = plan.map((p) => p.item.type);
  // Column k of cols.renditions for plan item k (summaryFields lists them in plan order).
  const renditionNames = summaryFields(items, ctx).renditions;
  const renditionColumn = types.map((t) => {
    const name = RENDITION_OF[t];
    return name === undefined ? null : (cols.renditions[renditionNames.indexOf(name)] ?? null);
  });
  // Flag arrays are shared by every message with the same flags (SummaryColumns), so their text is made once per array.
  const flagText = new Map<readonly string[], string>();
  const recentFlagText = new Map<readonly string[], string>();
  const { uids, flags, modseqs, internalDates, sizes } = cols;
  let text = '';
  for (let i = 0; i < uids.length; i++) {
    const uid = uids[i]!;
    if (since !== null && (modseqs?.[i] ?? 0) <= since) continue;
    const seq = seqOf(uid);
    if (seq === 0) continue;
    let line = `* ${seq} FETCH (`;
    for (let k = 0; k < types.length; k++) {
      line += heads[k]!;
      switch (types[k]) {
        case 'uid':
          line += uid;
          break;
        case 'flags': {
          const list = flags[i]!;
          const recent = ctx.recent?.(uid) === true;
          const cache = recent ? recentFlagText : flagText;
          let value = cache.get(list);
          if (value === undefined) cache.set(list, (value = flagListText(list, recent)));
          line += value;
          break;
        }
        case 'modseq':
          line += `(${modseqs?.[i] ?? 0})`;
          break;
        case 'internaldate':
          line += serializeValue(internalDateValue(new Date(internalDates?.[i] ?? 0))).toString('latin1');
          break;
        case 'rfc822.size':
          line += sizes?.[i] ?? 0;
          break;
        case 'envelope':
        case 'body':
        case 'bodystructure': {
          const text = renditionColumn[k]?.[i] ?? null;
          if (text === null) throw new TypeError(`FETCH ${names[k]}: no stored rendition for UID ${uid} (see lacksRendition)`);
          // Bytes (8-bit text inside literals) go out as they are: the writer encodes this text as latin1.
          line += typeof text === 'string' ? text : text.toString('latin1');
          break;
        }
        default:
          throw new TypeError(`FETCH ${names[k]} is not a summary item`);
      }
    }
    text += `${line})\r\n`;
  }
  return text;
}
