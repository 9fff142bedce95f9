/** THREAD / UID THREAD (RFC 5256 §3): `THREAD SP algorithm SP charset SP search-criteria`. */
import type { TokenCursor } from '../proto/cursor.js';
import { readSearchProgram, type SearchCharset, type SearchKey } from '../proto/search.js';
import type { CommandContext } from './context.js';
import { readRequiredCharset } from './sort.js';

export type ThreadAlgorithm = 'REFERENCES' | 'ORDEREDSUBJECT';

export interface ThreadArgs {
  readonly uid: boolean;
  readonly algorithm: ThreadAlgorithm;
  readonly charset: SearchCharset;
  readonly search: SearchKey;
}

export function parse(cursor: TokenCursor, context: CommandContext): ThreadArgs {
  cursor.expectSpace();
  const word = cursor.readKeyword('threading algorithm');
  if (word !== 'REFERENCES' && word !== 'ORDEREDSUBJECT') cursor.fail(`Unsupported threading algorithm ${word}`);
  cursor.expectSpace();
  const charset = readRequiredCharset(cursor, context);
  cursor.expectSpace();
  const program = readSearchProgram(cursor);
  return { uid: context.uid, algorithm: word, charset, search: program.key };
}
