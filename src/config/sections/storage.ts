import { z } from 'zod';

export const storageSchema = z.strictObject({
  /** Storage engine. Only the embedded SQLite engine exists today. */
  engine: z.enum(['sqlite']).default('sqlite'),
  /** Data directory: the SQLite database and the blob store live here. */
  dataDir: z.string().min(1).default('./data'),
  /** How long a writer waits for another process's lock, milliseconds. */
  busyTimeout: z.number().int().min(0).default(5000),
  /** Days an expunged message stays restorable in the archive before it is purged. */
  archiveRetention: z.number().min(0).default(30),
  /** Days messages stay in Junk before they are expunged; 0 keeps them. */
  junkRetention: z.number().min(0).default(30),
  /** Days messages stay in Trash before they are expunged; 0 keeps them. */
  trashRetention: z.number().min(0).default(30),
  /** Days change-journal entries are kept for resynchronisation (CONDSTORE/QRESYNC, live updates). */
  journalRetention: z.number().min(1).default(30),
  /** Maximum decoded text indexed for full-text search per message, bytes. */
  textIndexLimit: z.number().int().min(0).default(1024 * 1024),
  /** Seconds between maintenance runs (archive purge, retention, blob GC, renditions for older bodies). */
  maintenanceInterval: z.number().min(1).default(600),
});
export type StorageConfig = z.infer<typeof storageSchema>;
