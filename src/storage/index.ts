import type { StorageConfig } from '../config/schema.js';
import type { Renderer, Store } from './interface.js';
import type { ChangeEvent } from './types.js';
import { SqliteStore } from './sqlite/engine.js';

export * from './errors.js';
export type * from './interface.js';
export type * from './delivery-stores.js';
export type * from './metadata-store.js';
export type * from './query.js';
export type * from './security-stores.js';
export type * from './types.js';

export interface OpenStoreOptions {
  onChange?: (events: ChangeEvent[]) => void;
  /** Renditions to compute when a body is first stored (interface.ts Renderer); protocols contribute them. */
  renderers?: readonly Renderer[];
  /** Failures of background indexing (the SQLite engine retries; searches stay exact meanwhile). */
  onIndexError?: (err: Error) => void;
}

/** Opens the configured engine. */
export function openStore(config: StorageConfig, options: OpenStoreOptions = {}): Store & { setChangeListener(fn: (events: ChangeEvent[]) => void): void } {
  switch (config.engine) {
    case 'sqlite':
      return new SqliteStore(config, options);
  }
}
