-- 0007 sync: private records and the losing side of concurrent edits.
-- Append-only: once released, never edit this file.

-- Who may see a customer once it is synced: 'team' (the owner's team) or 'private' (the owner,
-- and the team's managers and owners). A last-writer-wins column like any other.
ALTER TABLE customers ADD COLUMN visibility TEXT NOT NULL DEFAULT 'team';

-- Values that arrived from another device but lost to a newer value here (a concurrent edit of
-- the same field): kept so that history can show them and a person can restore one. Local only,
-- never synced; the primary key makes a change delivered twice one row.
CREATE TABLE lost_values (
    tbl       TEXT NOT NULL,
    row_id    TEXT NOT NULL,
    col       TEXT NOT NULL,
    hlc       INTEGER NOT NULL,
    site_id   TEXT NOT NULL,
    value,   -- no declared type: kept exactly as it arrived (text stays text)
    entity_id TEXT NOT NULL,
    PRIMARY KEY (tbl, row_id, col, hlc, site_id)
) WITHOUT ROWID;
CREATE INDEX lost_values_entity ON lost_values (entity_id, hlc);

-- Changes from a newer Satchel naming tables or columns this version does not have: kept as they
-- arrived (the pull cursor moves past them) and applied after an upgrade that knows them.
CREATE TABLE parked_changes (
    site_id TEXT NOT NULL,
    hlc     INTEGER NOT NULL,
    tbl     TEXT NOT NULL,
    row_id  TEXT NOT NULL,
    col     TEXT NOT NULL,
    value,
    PRIMARY KEY (site_id, hlc, tbl, row_id, col)
) WITHOUT ROWID;
