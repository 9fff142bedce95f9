/**
 * SELECT (RFC 3501 §6.3.1) with select-params (RFC 4466 §2.1): `(CONDSTORE)`
 * (RFC 7162 §3.1.8) and `(QRESYNC (uidvalidity modseq [known-uids [seq-match]]))`
 * (RFC 7162 §3.2.5). EXAMINE shares this grammar (examine.ts).
 */
import type { TokenCursor } from '../proto/cursor.js';
import { readSequenceSet, type SequenceSet } from '../proto/sequence-set.js';
import { readList, readMailbox } from '../proto/tokens.js';
import type { CommandContext } from './context.js';

export interface QresyncParams {
  readonly uidValidity: number;
  readonly modSeq: bigint;
  /** UIDs the client knows (no `*`, RFC 7162). */
  readonly knownUids: SequenceSet | null;
  /** Sequence numbers and their UIDs, for the server to find the first mismatch. */
  readonly seqMatch: { readonly sequences: SequenceSet; readonly uids: SequenceSet } | null;
}

export interface SelectArgs {
  readonly mailbox: string;
  readonly condstore: boolean;
  readonly qresync: QresyncParams | null;
}

const KNOWN = { allowStar: false, allowSaved: false } as const;

function readQresync(c: TokenCursor): QresyncParams {
  c.expectSpace();
  c.expectChar(0x28, '(');
  const uidValidity = c.readNzNumber('UIDVALIDITY');
  c.expectSpace();
  const modSeq = c.readNumber64('mod-sequence');
  if (modSeq === 0n) c.fail('Mod-sequence must be positive');
  let knownUids: SequenceSet | null = null;
  let seqMatch: QresyncParams['seqMatch'] = null;
  if (c.skipSpace() && c.peek() !== 0x28) {
    knownUids = readSequenceSet(c, KNOWN);
    if (!c.skipSpace()) {
      c.expectChar(0x29, ')');
      return { uidValidity, modSeq, knownUids, seqMatch };
    }
  }
  if (c.skipChar(0x28)) {
    const sequences = readSequenceSet(c, KNOWN);
    c.expectSpace();
    const uids = readSequenceSet(c, KNOWN);
    c.expectChar(0x29, ')');
    seqMatch = { sequences, uids };
  }
  c.expectChar(0x29, ')');
  return { uidValidity, modSeq, knownUids, seqMatch };
}

export function parse(cursor: TokenCursor, context: CommandContext): SelectArgs {
  cursor.expectSpace();
  const mailbox = readMailbox(cursor, context);
  let condstore = false;
  let qresync: QresyncParams | null = null;
  if (cursor.skipSpace()) {
    readList(
      cursor,
      (c: TokenCursor) => {
        const name = c.readKeyword('select parameter');
        if (name === 'CONDSTORE' && !condstore) condstore = true;
        else if (name === 'QRESYNC' && qresync === null) qresync = readQresync(c);
        else c.fail('Invalid select parameter');
      },
      false,
      'select parameters',
    );
  }
  cursor.expectEnd();
  return { mailbox, condstore, qresync };
}
