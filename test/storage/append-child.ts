/**
 * Child process for the multi-process and crash tests: opens the store named
 * by a JSON StorageConfig and appends messages, printing one line per
 * committed append ("ok <index> <uid> <modseq>"), so the parent knows exactly
 * what was acknowledged.
 *   node append-child.js '<storage config json>' <mailboxId> <count> <tag>
 */
import { storageSchema } from '../../src/config/sections/storage.js';
import { openStore } from '../../src/storage/index.js';
import { spoolBuffer } from '../../src/storage/ingest.js';
import { childMessage } from './child-messages.js';

const [configJson, mailboxId, countArg, tag] = process.argv.slice(2);
const config = storageSchema.parse(JSON.parse(configJson!));
const store = openStore(config);
const count = Number(countArg);

for (let i = 0; i < count; i++) {
  const raw = childMessage(tag!, i);
  const spooled = await spoolBuffer(store.blobs, raw);
  const r = await store.messages.append(mailboxId!, { blob: spooled.blob, parsed: spooled.parsed });
  await store.blobs.release(spooled.blob);
  process.stdout.write(`ok ${i} ${r.uid} ${r.modseq}\n`);
}
await store.close();
