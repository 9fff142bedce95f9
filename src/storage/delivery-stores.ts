import type { Autoreply, AutoreplyInput, Filter, FilterPatch, NewFilter } from '../filters/types.js';
import type { Id } from './types.js';

/** Per-user filters, evaluated by the delivery pipeline in creation order. */
export interface FilterStore {
  /** In creation order. */
  list(userId: Id): Promise<Filter[]>;
  get(userId: Id, id: Id): Promise<Filter | null>;
  /** @throws NotFoundError('user') */
  create(userId: Id, filter: NewFilter): Promise<Filter>;
  /** Atomic. @throws NotFoundError('filter') */
  update(userId: Id, id: Id, patch: FilterPatch): Promise<Filter>;
  /** @throws NotFoundError('filter') */
  delete(userId: Id, id: Id): Promise<void>;
}

export interface AutoreplyStore {
  /** Null when never configured. */
  get(userId: Id): Promise<Autoreply | null>;
  /** Creates or merges the settings. @throws NotFoundError('user') */
  set(userId: Id, input: AutoreplyInput): Promise<Autoreply>;
  delete(userId: Id): Promise<void>;
  /**
   * Atomic check-and-record for RFC 3834 §2 rate limiting: true (and the
   * send is recorded) when no autoreply went to `sender` within intervalMs.
   */
  claimReply(userId: Id, sender: string, intervalMs: number): Promise<boolean>;
}
