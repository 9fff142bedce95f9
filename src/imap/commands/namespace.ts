/** NAMESPACE (RFC 2342): one personal namespace, no prefix, "/" as the hierarchy separator. */
import { AUTHENTICATED, type CommandHandler } from '../handler.js';
import { atom } from '../proto/values.js';

export const namespace = {
  name: 'NAMESPACE',
  states: AUTHENTICATED,
  async handle(_command, session) {
    await session.writer.untagged(atom('NAMESPACE'), [['', '/']], null, null);
  },
} satisfies CommandHandler<'NAMESPACE'>;
