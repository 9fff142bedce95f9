/** ENABLE (RFC 5161 §3.1): `ENABLE 1*(SP capability)`. */
import type { TokenCursor } from '../proto/cursor.js';

export interface EnableArgs {
  /** Upper-cased capability names, duplicates removed, e.g. `CONDSTORE`, `UTF8=ACCEPT`. */
  readonly capabilities: readonly string[];
}

export function parse(cursor: TokenCursor): EnableArgs {
  const capabilities = new Set<string>();
  do {
    cursor.expectSpace();
    capabilities.add(cursor.readAtom('capability').toUpperCase());
  } while (!cursor.atEnd());
  return { capabilities: [...capabilities] };
}
