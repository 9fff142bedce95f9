/**
 * IDLE (RFC 2177): after `+ idling`, changes to the selected mailbox are
 * pushed as they happen (notifier events, from this or another process
 * through Redis) until the client sends DONE. A periodic journal poll
 * (`imap.idlePollInterval`) also finds changes made by another process when
 * no Redis link carries its events.
 */
import { AUTHENTICATED, bad, type CommandHandler } from '../handler.js';
import { isIdleDone } from '../parse/idle.js';
import type { RawLineEvent } from '../proto/reader.js';
import { catchUp } from '../sync.js';

export const idle = {
  name: 'IDLE',
  states: AUTHENTICATED,
  async handle(_command, session) {
    await session.writer.continuation('idling');
    session.idling = true;
    // Held in an object: the read settles in a callback, which control-flow analysis cannot follow.
    const done: { line: RawLineEvent | null } = { line: null };
    const reading = session.readLine().then((event) => {
      done.line = event;
      session.markDirty();
    });
    const pollMs = session.config.idlePollInterval * 1000;
    try {
      if (session.selected) await catchUp(session, true);
      while (done.line === null && !session.closed) {
        await session.waitForChange(pollMs);
        // A wake-up without a notification is the poll: check the journal anyway.
        if (done.line === null && session.selected && !session.closed) await catchUp(session, true);
      }
      await reading;
    } finally {
      session.idling = false;
    }
    const event = done.line;
    if (event === null || event.type === 'end' || event.type === 'fatal') {
      session.close();
      return { text: 'Connection closed' };
    }
    if (event.type === 'error' || !isIdleDone(event.line)) throw bad('Expected DONE');
    return { text: 'IDLE terminated' };
  },
} satisfies CommandHandler<'IDLE'>;
