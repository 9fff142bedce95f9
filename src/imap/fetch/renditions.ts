/**
 * ENVELOPE, BODY and BODYSTRUCTURE rendered once per message body, when it
 * is first stored (storage interface.ts Renderer), so FETCH writes stored
 * bytes instead of parsing the MIME tree from JSON and rendering it again.
 *
 * The stored text is the non-UTF-8 serialisation (8-bit strings as
 * literals); a session with UTF8=ACCEPT renders afresh, as do bodies stored
 * before these renderers existed.
 */
import type { Store, Renderer, RecordFields } from '../../storage/interface.js';
import type { MessageRecord } from '../../storage/types.js';
import { bodyNonExtensible, bodyStructure } from '../proto/bodystructure.js';
import { envelopeValue } from '../proto/envelope.js';
import { serializeValue } from '../proto/values.js';

/** Names carry a version: a change to the rendering must bump it, so stale stored text is never served. */
export const RENDITIONS = {
  envelope: 'imap.envelope.1',
  body: 'imap.body.1',
  bodystructure: 'imap.bodystructure.1',
} as const;

export const imapRenderers: readonly Renderer[] = [
  { name: RENDITIONS.envelope, render: (parsed) => serializeValue(envelopeValue(parsed.envelope)) },
  { name: RENDITIONS.body, render: (parsed) => serializeValue(bodyNonExtensible(parsed.root)) },
  { name: RENDITIONS.bodystructure, render: (parsed) => serializeValue(bodyStructure(parsed.root)) },
];

function missesRendition(record: MessageRecord, names: readonly string[]): boolean {
  for (const name of names) if (record.rendition(name) === null) return true;
  return false;
}

/**
 * getRecords with `fields`, then, for records whose body lacks one of the
 * renditions asked for, the same records again with the envelope and MIME
 * tree those renditions stand in for.
 */
export async function recordsWithRenditions(
  store: Store,
  mailboxId: string,
  uids: readonly number[],
  fields: RecordFields,
): Promise<MessageRecord[]> {
  const records = await store.messages.getRecords(mailboxId, uids, fields);
  const names = fields.renditions ?? [];
  if (names.length === 0) return records;
  const lacking = records.filter((r) => missesRendition(r, names)).map((r) => r.uid);
  if (lacking.length === 0) return records;
  const fallback: RecordFields = { ...fields, renditions: [] };
  if (names.includes(RENDITIONS.envelope)) fallback.envelope = true;
  if (names.includes(RENDITIONS.body) || names.includes(RENDITIONS.bodystructure)) fallback.mime = true;
  const again = new Map((await store.messages.getRecords(mailboxId, lacking, fallback)).map((r) => [r.uid, r]));
  const redo = new Set(lacking);
  // A record expunged between the two reads is left out, like one expunged before the first (RFC 2180 §4.1).
  return records.flatMap((r) => {
    if (!redo.has(r.uid)) return [r];
    const full = again.get(r.uid);
    return full === undefined ? [] : [full];
  });
}
