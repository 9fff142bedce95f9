/**
 * The ESEARCH response (RFC 4731 §3.1) for SEARCH RETURN and, in sort order,
 * SORT RETURN (RFC 5267 §3.2): MIN and MAX are the first and last of `ids`
 * as given, ALL keeps their order (ranges only for ascending runs).
 */
import { compressNumbers } from '../proto/sequence-set.js';
import { atom, raw, type ImapValue } from '../proto/values.js';

export function esearchData(tag: string, uid: boolean, ids: readonly number[], options: ReadonlySet<string>): ImapValue[] {
  const data: ImapValue[] = [atom('ESEARCH'), [raw('TAG'), tag]];
  if (uid) data.push(atom('UID'));
  const first = ids[0];
  const last = ids[ids.length - 1];
  if (options.has('MIN') && first !== undefined) data.push(atom('MIN'), first);
  if (options.has('MAX') && last !== undefined) data.push(atom('MAX'), last);
  if (options.has('COUNT')) data.push(atom('COUNT'), ids.length);
  if (options.has('ALL') && ids.length > 0) data.push(atom('ALL'), raw(compressNumbers(ids)));
  return data;
}
