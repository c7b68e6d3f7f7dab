-- 0001 foundation: the sync machinery and customer records.
-- Append-only: once released, never edit this file; add 0002_... instead.
--
-- Every synced table has:
--   id          UUIDv7 text made by the device that created the row (never an autoincrement)
--   deleted_at  tombstone; itself a last-writer-wins cell
--   updated_ms  local, derived: wall time of the newest change applied to the row (for sorting)
--   _clocks     local: JSON map column -> "packed-hlc@site" of the change that set it (LWW merge)
-- Every NOT NULL column has a default, because a remote change may create a row one column at a
-- time. Foreign keys between synced rows are not declared: a child may arrive before its parent.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- Devices whose changes this database holds, with the local profile that signed them.
CREATE TABLE sites (
    site_id TEXT PRIMARY KEY,
    author  TEXT NOT NULL,
    device  TEXT NOT NULL
) WITHOUT ROWID;

-- One row per changed column. `value` has no declared type so SQLite keeps the exact value
-- (text, integer, null). `old_value` and `entity_id` are local: history shows the old value, and
-- a customer's history includes changes to its phones, emails, addresses and tags.
CREATE TABLE change_log (
    seq       INTEGER PRIMARY KEY,
    hlc       INTEGER NOT NULL,
    site_id   TEXT NOT NULL,
    tbl       TEXT NOT NULL,
    row_id    TEXT NOT NULL,
    col       TEXT NOT NULL,
    value,
    old_value,
    entity_id TEXT NOT NULL
);
CREATE INDEX change_log_entity ON change_log (entity_id, seq);

CREATE TABLE customers (
    id         TEXT PRIMARY KEY,
    kind       TEXT NOT NULL DEFAULT 'person',
    name       TEXT NOT NULL DEFAULT '',
    company_id TEXT,
    owner      TEXT NOT NULL DEFAULT '',
    stage      TEXT NOT NULL DEFAULT 'lead',
    source     TEXT NOT NULL DEFAULT '',
    notes      TEXT NOT NULL DEFAULT '',
    birthday   TEXT,
    deleted_at TEXT,
    updated_ms INTEGER NOT NULL DEFAULT 0,
    _clocks    TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX customers_company ON customers (company_id) WHERE company_id IS NOT NULL;

CREATE TABLE customer_phones (
    id          TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL DEFAULT '',
    label       TEXT NOT NULL DEFAULT '',
    value       TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL DEFAULT 0,
    deleted_at  TEXT,
    updated_ms  INTEGER NOT NULL DEFAULT 0,
    _clocks     TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX customer_phones_customer ON customer_phones (customer_id);

CREATE TABLE customer_emails (
    id          TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL DEFAULT '',
    label       TEXT NOT NULL DEFAULT '',
    value       TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL DEFAULT 0,
    deleted_at  TEXT,
    updated_ms  INTEGER NOT NULL DEFAULT 0,
    _clocks     TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX customer_emails_customer ON customer_emails (customer_id);

CREATE TABLE customer_addresses (
    id          TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL DEFAULT '',
    label       TEXT NOT NULL DEFAULT '',
    street      TEXT NOT NULL DEFAULT '',
    city        TEXT NOT NULL DEFAULT '',
    region      TEXT NOT NULL DEFAULT '',
    postal_code TEXT NOT NULL DEFAULT '',
    country     TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL DEFAULT 0,
    deleted_at  TEXT,
    updated_ms  INTEGER NOT NULL DEFAULT 0,
    _clocks     TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX customer_addresses_customer ON customer_addresses (customer_id);

-- A tag is an element of a set: its own row, so two devices that each add a tag keep both.
CREATE TABLE customer_tags (
    id          TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL DEFAULT '',
    tag         TEXT NOT NULL DEFAULT '',
    deleted_at  TEXT,
    updated_ms  INTEGER NOT NULL DEFAULT 0,
    _clocks     TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX customer_tags_customer ON customer_tags (customer_id);
