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

-- The change log: one entry per row a write touched, holding every column it changed as a JSON
-- object (column -> new value; `old` keeps the previous values for local history). Each column
-- in `cols` is one change with its own last-writer-wins clock: `column_changes` below is the same
-- log one row per changed column, which is how sync and history read it. Packing a write's
-- columns into one entry keeps the log's cost down (docs/benchmarks.md): `site_id` is NULL for
-- this database's own changes (the view fills it in from meta), and history finds a record's
-- entries through `entity_log` (local: one row per run of consecutive entries of one record, a
-- customer's run including its phones, emails, addresses and tags) instead of an index entry or
-- an owner column per log entry.
CREATE TABLE change_log (
    seq     INTEGER PRIMARY KEY,
    hlc     INTEGER NOT NULL,
    site_id TEXT,
    tbl     TEXT NOT NULL,
    row_id  TEXT NOT NULL,
    cols    TEXT NOT NULL,
    old     TEXT
);

CREATE TABLE entity_log (
    entity_id TEXT NOT NULL,
    first_seq INTEGER NOT NULL,
    last_seq  INTEGER NOT NULL,
    PRIMARY KEY (entity_id, first_seq)
) WITHOUT ROWID;

CREATE VIEW column_changes AS
    SELECT c.seq, c.hlc, coalesce(c.site_id, (SELECT value FROM meta WHERE key = 'site_id')) AS site_id,
           c.tbl, c.row_id, j.key AS col, j.value AS value, json_extract(c.old, '$.' || j.key) AS old_value
    FROM change_log c, json_each(c.cols) j;

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
