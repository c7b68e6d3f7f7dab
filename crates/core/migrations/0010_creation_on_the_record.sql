-- 0010 a record's creation entry on the record: `_created_seq` is the change-log entry that
-- created the row, for rows this database created. Append-only: once released, never edit this file.
--
-- History finds a record's entries through its `entity_log` runs. A record created here used to
-- cost a run of its own for that one entry: one more B-tree insert per new record and, for a
-- single save, one more page in the WAL. The row now says where its creation is, and a run is
-- written only for entries beyond it (the store's `history` reads both). Rows made before this
-- version, and rows created elsewhere and synced here, have NULL and keep their runs.
-- Local bookkeeping like `_clocks`: never synced.
ALTER TABLE customers ADD COLUMN _created_seq INTEGER;
ALTER TABLE activities ADD COLUMN _created_seq INTEGER;
ALTER TABLE custom_fields ADD COLUMN _created_seq INTEGER;
ALTER TABLE segments ADD COLUMN _created_seq INTEGER;
