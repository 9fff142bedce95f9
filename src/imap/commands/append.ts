/**
 * APPEND (RFC 3501 §6.3.11) with APPENDUID (RFC 4315 §3) and APPENDLIMIT
 * (RFC 7889) and MULTIAPPEND (RFC 3502). Large literals were streamed to a staged blob while they
 * arrived (append-spool.ts); small ones are spooled from memory here. The
 * size limit is enforced by the reader before any octet is read
 * (NO [TOOBIG]), quota by storage (NO [OVERQUOTA]).
 */
import { spoolBuffer, type Spooled } from '../../storage/ingest.js';
import { AUTHENTICATED, bad, no, type CommandHandler } from '../handler.js';
import { requireMailbox } from '../mailboxes.js';
import type { AppendMessage } from '../parse/append.js';
import { compressNumbers } from '../proto/sequence-set.js';
import type { Session } from '../session.js';

async function spooled(session: Session, message: AppendMessage): Promise<Spooled> {
  const literal = message.literal;
  if (literal.kind === 'buffered') {
    if (literal.data.length === 0) throw no('Empty message', 'CANNOT');
    return spoolBuffer(session.store.blobs, literal.data, { textLimit: session.ctx.config.storage.textIndexLimit });
  }
  const spool = session.spools.takeNext();
  if (spool === null) throw new Error('streamed APPEND literal without its spool');
  return spool;
}

export const append = {
  name: 'APPEND',
  states: AUTHENTICATED,
  async handle(command, session) {
    const { mailbox: name, messages } = command.args;
    if (messages.length === 0) throw bad('APPEND needs a message');
    const target = await requireMailbox(session, name, 'TRYCREATE');
    const copies: Spooled[] = [];
    try {
      for (const message of messages) copies.push(await spooled(session, message));
      const input = messages.map((message, i) => ({
        blob: copies[i]!.blob,
        parsed: copies[i]!.parsed,
        flags: [...message.flags],
        internalDate: message.internalDate === null ? undefined : new Date(message.internalDate.timestamp),
      }));
      // MULTIAPPEND (RFC 3502 §6.3.11): several messages are stored all or none.
      const results = await session.store.messages.appendAll(target.id, input);
      // RFC 3501 §6.3.11: appending to the selected mailbox reports it like any new message.
      if (session.selected?.id === target.id) session.markDirty();
      const uids = compressNumbers(results.map((r) => r.uid));
      return { text: 'APPEND completed', code: { name: 'APPENDUID', args: [results[0]!.uidValidity, uids] } };
    } finally {
      for (const copy of copies) await session.store.blobs.release(copy.blob);
    }
  },
} satisfies CommandHandler<'APPEND'>;
