/** COMPRESS (RFC 4978 §3): `COMPRESS SP algorithm`; DEFLATE is the one algorithm defined. */
import type { TokenCursor } from '../proto/cursor.js';

export interface CompressArgs {
  /** Upper-cased algorithm name as given (the handler refuses all but DEFLATE). */
  readonly algorithm: string;
}

export function parse(cursor: TokenCursor): CompressArgs {
  cursor.expectSpace();
  const algorithm = cursor.readAtom('compression algorithm').toUpperCase();
  cursor.expectEnd();
  return { algorithm };
}
