/**
 * APPEND (RFC 3501 §6.3.11) with APPENDUID (RFC 4315 §3) and APPENDLIMIT
 * (RFC 7889). Large literals were streamed to a staged blob while they
 * arrived (append-spool.ts); small ones are spooled from memory here. The
 * size limit is enforced by the reader before any octet is read
 * (NO [TOOBIG]), quota by storage (NO [OVERQUOTA]).
 */
import { spoolBuffer, type Spooled } from '../../storage/ingest.js';
import { AUTHENTICATED, bad, no, type CommandHandler } from '../handler.js';
import { requireMailbox } from '../mailboxes.js';
import type { AppendMessage } from '../parse/append.js';
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
    // MULTIAPPEND (RFC 3502) is not advertised; its all-or-nothing rule is not implemented.
    const message = messages[0];
    if (message === undefined || messages.length > 1) throw bad('One message per APPEND');
    const target = await requireMailbox(session, name, 'TRYCREATE');
    const { blob, parsed } = await spooled(session, message);
    try {
      const result = await session.store.messages.append(target.id, {
        blob,
        parsed,
        flags: [...message.flags],
        internalDate: message.internalDate === null ? undefined : new Date(message.internalDate.timestamp),
      });
      // RFC 3501 §6.3.11: appending to the selected mailbox reports it like any new message.
      if (session.selected?.id === target.id) session.markDirty();
      return { text: 'APPEND completed', code: { name: 'APPENDUID', args: [result.uidValidity, result.uid] } };
    } finally {
      await session.store.blobs.release(blob);
    }
  },
} satisfies CommandHandler<'APPEND'>;
