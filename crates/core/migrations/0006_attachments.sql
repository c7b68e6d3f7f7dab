-- 0006 attachments: files added to a customer. The row (synced like the others, see 0001) names
-- the file; the bytes live beside the database in attachments/<sha256>, stored once however many
-- records hold the same file. Deleting an attachment is a tombstone; the bytes stay for undo.
CREATE TABLE attachments (
    id          TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL DEFAULT '',
    name        TEXT NOT NULL DEFAULT '',
    size        INTEGER NOT NULL DEFAULT 0,
    sha256      TEXT NOT NULL DEFAULT '',
    added_by    TEXT NOT NULL DEFAULT '',
    deleted_at  TEXT,
    updated_ms  INTEGER NOT NULL DEFAULT 0,
    _clocks     TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX attachments_customer ON attachments (customer_id);
