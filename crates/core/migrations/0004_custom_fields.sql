-- 0004 custom fields: fields the user defines per record type, and their values per customer.
-- Both are synced tables like the others (see 0001). A removed field is a tombstone: its values
-- stay in `customer_field_values` (and in history), they are only no longer shown.
CREATE TABLE custom_fields (
    id          TEXT PRIMARY KEY,
    scope       TEXT NOT NULL DEFAULT 'both',   -- both | company | person
    kind        TEXT NOT NULL DEFAULT 'text',   -- text | number | date | choice | multi
    label_en    TEXT NOT NULL DEFAULT '',
    label_zh    TEXT NOT NULL DEFAULT '',
    -- Choice options as JSON: [{"key":"o1","en":"Gold","zh":"金牌"}]. Keys never change, so a
    -- renamed option keeps its records.
    options     TEXT NOT NULL DEFAULT '[]',
    position    INTEGER NOT NULL DEFAULT 0,
    deleted_at  TEXT,
    updated_ms  INTEGER NOT NULL DEFAULT 0,
    _clocks     TEXT NOT NULL DEFAULT '{}'
);

-- One row per (customer, field); its id is "<customer id>.<field id>", so two devices that set
-- the same field offline write the same row and the newer value wins, as for any column.
-- `value`: text as typed; a number as canonical decimal text; a date YYYY-MM-DD; a choice's key;
-- a multi choice's keys joined by ",".
CREATE TABLE customer_field_values (
    id          TEXT PRIMARY KEY,
    customer_id TEXT NOT NULL DEFAULT '',
    field_id    TEXT NOT NULL DEFAULT '',
    value       TEXT NOT NULL DEFAULT '',
    deleted_at  TEXT,
    updated_ms  INTEGER NOT NULL DEFAULT 0,
    _clocks     TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX customer_field_values_customer ON customer_field_values (customer_id);
