-- 0008 row-backed inserts: a row this database creates is logged as `cols = '*'` instead of a
-- JSON copy of every value it was created with.
-- Append-only: once released, never edit this file.
--
-- The row itself holds those values, and its `_clocks` say which columns still hold them: a
-- column whose clock is still the insert's stamp holds the inserted value; a column changed since
-- finds it as the old value kept by the first later entry that changed it (every change that
-- overwrites a value keeps the old one, for history). Writing each value once instead of twice
-- halves what a bulk create writes (docs/benchmarks.md). Such an entry also keeps a UUID row id
-- as its 16 bytes (a BLOB) rather than its 36 characters of text. The store reads such entries through
-- `EntryReader` (sync push, history, undo, replay); the view below, which SQL alone cannot expand,
-- leaves them out, so it lists exactly the changes that carry their values (those from other
-- devices, edits, and inserts logged before this version).
DROP VIEW column_changes;
CREATE VIEW column_changes AS
    SELECT c.seq, c.hlc, coalesce(c.site_id, (SELECT value FROM meta WHERE key = 'site_id')) AS site_id,
           c.tbl, c.row_id, j.key AS col, j.value AS value, json_extract(c.old, '$.' || j.key) AS old_value
    FROM change_log c, json_each(CASE WHEN c.cols = '*' THEN '{}' ELSE c.cols END) j;
