/**
 * COMPRESS DEFLATE (RFC 4978): once authenticated, at most once per
 * connection. The tagged OK goes out uncompressed; everything after it, both
 * ways, is DEFLATE (compress.ts).
 */
import { AUTHENTICATED, bad, no, type CommandHandler } from '../handler.js';

export const compress = {
  name: 'COMPRESS',
  states: AUTHENTICATED,
  async handle(command, session) {
    if (command.args.algorithm !== 'DEFLATE') throw bad(`Unsupported compression algorithm ${command.args.algorithm}`);
    if (session.compressed) throw no('Compression is already active', 'COMPRESSIONACTIVE');
    return { text: 'DEFLATE active', after: session.beginCompression() };
  },
} satisfies CommandHandler<'COMPRESS'>;
