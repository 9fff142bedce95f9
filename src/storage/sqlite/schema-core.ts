/**
 * Core schema. Light per-copy columns live in `messages` so sync queries
 * (UID FLAGS over a whole mailbox) scan a compact table; everything derived
 * from the body (header block, ENVELOPE, MIME tree, decoded facts, full-text
 * index) is keyed by blob, so one body delivered to many recipients is
 * parsed, stored and indexed once.
 *
 * Times are ms since epoch (INTEGER). Ids are 24-hex TEXT except the
 * integer rowids of messages and blobs.
 */
export const coreMigrations: string[] = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL DEFAULT '',
    address TEXT,
    password_hash TEXT,
    require_password_change INTEGER NOT NULL DEFAULT 0,
    quota INTEGER NOT NULL DEFAULT 0,
    storage_used INTEGER NOT NULL DEFAULT 0,
    disabled INTEGER NOT NULL DEFAULT 0,
    suspended INTEGER NOT NULL DEFAULT 0,
    tags TEXT NOT NULL DEFAULT '[]',
    settings TEXT NOT NULL DEFAULT '{}',
    created INTEGER NOT NULL
  );

  CREATE TABLE addresses (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    address TEXT NOT NULL,
    addrkey TEXT NOT NULL UNIQUE,
    main INTEGER NOT NULL DEFAULT 0,
    created INTEGER NOT NULL
  );
  CREATE INDEX addresses_user ON addresses(user_id);

  CREATE TABLE mailboxes (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    special_use TEXT,
    uidvalidity INTEGER NOT NULL,
    uidnext INTEGER NOT NULL DEFAULT 1,
    modseq INTEGER NOT NULL DEFAULT 1,
    recent_uid INTEGER NOT NULL DEFAULT 1,
    subscribed INTEGER NOT NULL DEFAULT 1,
    retention INTEGER NOT NULL DEFAULT 0,
    -- highest modseq of expunge journal entries pruned; QRESYNC below it is incomplete
    expunge_floor INTEGER NOT NULL DEFAULT 0,
    created INTEGER NOT NULL,
    UNIQUE (user_id, path)
  );

  CREATE TABLE blobs (
    id INTEGER PRIMARY KEY,
    hash TEXT NOT NULL UNIQUE,
    size INTEGER NOT NULL,
    refcount INTEGER NOT NULL,
    unreferenced_at INTEGER,
    header_length INTEGER NOT NULL,
    sent_date INTEGER,
    has_attachments INTEGER NOT NULL DEFAULT 0,
    message_id TEXT,
    subject TEXT NOT NULL DEFAULT '',
    from_text TEXT NOT NULL DEFAULT '',
    to_text TEXT NOT NULL DEFAULT '',
    cc_text TEXT NOT NULL DEFAULT '',
    preview TEXT NOT NULL DEFAULT '',
    header BLOB NOT NULL,
    envelope TEXT NOT NULL,
    mime TEXT NOT NULL,
    facts TEXT NOT NULL
  );
  CREATE INDEX blobs_unreferenced ON blobs(unreferenced_at) WHERE refcount = 0;

  CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    mailbox_id TEXT NOT NULL REFERENCES mailboxes(id),
    user_id TEXT NOT NULL,
    uid INTEGER NOT NULL,
    modseq INTEGER NOT NULL,
    sysflags INTEGER NOT NULL DEFAULT 0,
    keywords TEXT NOT NULL DEFAULT '',
    internal_date INTEGER NOT NULL,
    size INTEGER NOT NULL,
    blob_id INTEGER NOT NULL REFERENCES blobs(id),
    thread_id TEXT NOT NULL,
    expires INTEGER,
    prefix BLOB,
    UNIQUE (mailbox_id, uid)
  );
  CREATE INDEX messages_modseq ON messages(mailbox_id, modseq);
  CREATE INDEX messages_unseen ON messages(mailbox_id, uid) WHERE (sysflags & 1) = 0;
  CREATE INDEX messages_deleted ON messages(mailbox_id, uid) WHERE (sysflags & 8) != 0;
  CREATE INDEX messages_user_date ON messages(user_id, internal_date);
  CREATE INDEX messages_thread ON messages(user_id, thread_id);
  CREATE INDEX messages_blob ON messages(blob_id);
  CREATE INDEX messages_expires ON messages(expires) WHERE expires IS NOT NULL;

  CREATE VIRTUAL TABLE blob_text USING fts5(
    headers, body,
    tokenize = 'trigram case_sensitive 0'
  );

  CREATE TABLE thread_refs (
    user_id TEXT NOT NULL,
    ref TEXT NOT NULL,
    thread_id TEXT NOT NULL,
    PRIMARY KEY (user_id, ref)
  ) WITHOUT ROWID;

  CREATE TABLE journal (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id TEXT NOT NULL,
    mailbox_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    uid INTEGER,
    modseq INTEGER,
    flags TEXT,
    path TEXT,
    created INTEGER NOT NULL
  );
  CREATE INDEX journal_user ON journal(user_id, id);
  CREATE INDEX journal_mailbox ON journal(mailbox_id, kind, modseq);
  CREATE INDEX journal_created ON journal(created);

  CREATE TABLE archive (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    mailbox_id TEXT NOT NULL,
    mailbox_path TEXT NOT NULL,
    uid INTEGER NOT NULL,
    sysflags INTEGER NOT NULL,
    keywords TEXT NOT NULL,
    internal_date INTEGER NOT NULL,
    size INTEGER NOT NULL,
    blob_id INTEGER NOT NULL REFERENCES blobs(id),
    thread_id TEXT NOT NULL,
    prefix BLOB,
    archived INTEGER NOT NULL
  );
  CREATE INDEX archive_user ON archive(user_id, archived);
  CREATE INDEX archive_archived ON archive(archived);

  CREATE TABLE leases (key TEXT PRIMARY KEY, owner TEXT NOT NULL, expires INTEGER NOT NULL);
  CREATE TABLE counters (key TEXT PRIMARY KEY, window_end INTEGER NOT NULL, value INTEGER NOT NULL);
  `,
  // 2: renditions (interface.ts Renderer): protocol text rendered once per body at first store.
  // Bodies stored before this have none; readers render those from envelope/mime as before.
  `
  CREATE TABLE blob_renditions (
    blob_id INTEGER NOT NULL REFERENCES blobs(id),
    name TEXT NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (blob_id, name)
  ) WITHOUT ROWID;
  `,
  // 3: the unseen index also holds the internal date and the flags, so SEARCH UNSEEN [SINCE/BEFORE]
  // (a client's "new mail" query) is answered from the index alone, without reading each message row
  // (SQLite does not count a partial index's own WHERE as covered, hence sysflags in the key).
  `
  DROP INDEX messages_unseen;
  CREATE INDEX messages_unseen ON messages(mailbox_id, uid, internal_date, sysflags) WHERE (sysflags & 1) = 0;
  `,
  // 4: per-mailbox message count, total size and unseen count, kept by triggers in the same
  // transaction as every change to messages (so no write path can forget them). STATUS and the
  // admin API ask for these constantly; counting a 100,000-message mailbox took ~20 ms.
  `
  CREATE TABLE mailbox_counts (
    mailbox_id TEXT PRIMARY KEY REFERENCES mailboxes(id) ON DELETE CASCADE,
    messages INTEGER NOT NULL,
    size INTEGER NOT NULL,
    unseen INTEGER NOT NULL
  ) WITHOUT ROWID;
  INSERT INTO mailbox_counts (mailbox_id, messages, size, unseen)
    SELECT mailbox_id, count(*), sum(size), sum((sysflags & 1) = 0) FROM messages GROUP BY mailbox_id;
  CREATE TRIGGER mailbox_counts_insert AFTER INSERT ON messages BEGIN
    INSERT INTO mailbox_counts (mailbox_id, messages, size, unseen) VALUES (new.mailbox_id, 1, new.size, (new.sysflags & 1) = 0)
      ON CONFLICT (mailbox_id) DO UPDATE SET messages = messages + 1, size = size + excluded.size, unseen = unseen + excluded.unseen;
  END;
  CREATE TRIGGER mailbox_counts_delete AFTER DELETE ON messages BEGIN
    UPDATE mailbox_counts SET messages = messages - 1, size = size - old.size, unseen = unseen - ((old.sysflags & 1) = 0)
      WHERE mailbox_id = old.mailbox_id;
  END;
  CREATE TRIGGER mailbox_counts_update AFTER UPDATE OF mailbox_id, size, sysflags ON messages
    WHEN old.mailbox_id IS NOT new.mailbox_id OR old.size IS NOT new.size OR (old.sysflags & 1) IS NOT (new.sysflags & 1)
  BEGIN
    UPDATE mailbox_counts SET messages = messages - 1, size = size - old.size, unseen = unseen - ((old.sysflags & 1) = 0)
      WHERE mailbox_id = old.mailbox_id;
    INSERT INTO mailbox_counts (mailbox_id, messages, size, unseen) VALUES (new.mailbox_id, 1, new.size, (new.sysflags & 1) = 0)
      ON CONFLICT (mailbox_id) DO UPDATE SET messages = messages + 1, size = size + excluded.size, unseen = unseen + excluded.unseen;
  END;
  `,
  // 5: METADATA (RFC 5464) entries; mailbox_key '' is the server, else the mailbox id
  // (so RENAME keeps them); a deleted mailbox's entries go with it (mailboxes.ts).
  `
  CREATE TABLE metadata (
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    mailbox_key TEXT NOT NULL,
    name TEXT NOT NULL,
    value BLOB NOT NULL,
    PRIMARY KEY (user_id, mailbox_key, name)
  ) WITHOUT ROWID;
  `,
  // 6: the full-text index moves to its own file, written by a worker thread
  // (text-index.ts); deliveries queue their bodies here. The old in-line index
  // is dropped: opening the store queues every body for the new one.
  `
  CREATE TABLE text_queue (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    blob_id INTEGER NOT NULL,
    op TEXT NOT NULL CHECK (op IN ('add', 'delete'))
  );
  DROP TABLE blob_text;
  `,
  // 7: the save date (RFC 8514): when a copy was stored in its current mailbox (APPEND, delivery, COPY, MOVE,
  // restore). NULL for copies stored before; readers fall back to the internal date.
  `
  ALTER TABLE messages ADD COLUMN saved INTEGER;
  `,
];
