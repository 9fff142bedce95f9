/**
 * THREAD / UID THREAD (RFC 5256 §3) with REFERENCES and ORDEREDSUBJECT:
 * storage returns the threading facts of the matches, the pure algorithms
 * in src/imap/thread build the forest.
 */
import { SELECTED, type Command, type CommandHandler } from '../handler.js';
import { selectedMailbox } from '../mailboxes.js';
import { raw } from '../proto/values.js';
import { compileSearch } from '../search/compile.js';
import type { Session } from '../session.js';
import { formatThreads, threadOrderedSubject, threadReferences, type ThreadInput } from '../thread/threading.js';

async function threadMessages(command: Command<'THREAD' | 'UID THREAD'>, session: Session): Promise<void> {
  const sel = selectedMailbox(session);
  const args = command.args;
  const query = compileSearch(args.search, { uids: sel.map.view(), recent: (uid) => sel.isRecent(uid), saved: session.savedSearch });
  const inputs: ThreadInput[] = [];
  for (const facts of await session.store.messages.threadFacts(sel.id, query)) {
    const seq = sel.map.seqOf(facts.uid);
    if (seq === 0) continue;
    inputs.push({
      id: args.uid ? facts.uid : seq,
      messageId: facts.messageId,
      // RFC 5256 §2.2 step 1A: References, else In-Reply-To.
      references: facts.references.length > 0 ? facts.references : facts.inReplyTo ? [facts.inReplyTo] : [],
      date: facts.sentDate ?? facts.internalDate,
      subject: facts.subject,
    });
  }
  const forest = args.algorithm === 'REFERENCES' ? threadReferences(inputs) : threadOrderedSubject(inputs);
  const text = formatThreads(forest);
  await session.writer.untagged(raw(text === '' ? 'THREAD' : `THREAD ${text}`));
}

export const thread = {
  name: 'THREAD',
  states: SELECTED,
  handle: threadMessages,
} satisfies CommandHandler<'THREAD'>;

export const uidThread = {
  name: 'UID THREAD',
  states: SELECTED,
  handle: threadMessages,
} satisfies CommandHandler<'UID THREAD'>;
