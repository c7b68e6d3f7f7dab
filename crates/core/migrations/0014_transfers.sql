-- 0014 what travels besides changes (issue 14). Local bookkeeping, never synced.
--
-- Attachment bytes this laptop has made sure the server holds (or that the server refused, with
-- its reason), by content hash: a hash with a local file and no row here is uploaded at the next
-- sync. A server restored from a backup empties the table, so everything is checked again.
CREATE TABLE attachment_uploads (
    sha256 TEXT PRIMARY KEY,
    state  TEXT NOT NULL,              -- 'done' | 'refused'
    reason TEXT NOT NULL DEFAULT '',
    at_ms  INTEGER NOT NULL
) WITHOUT ROWID;

-- Exports made on this laptop (a CSV or vCard file of customers, say), kept until the server has
-- written them into its audit trail: a manager can see who took the customer book home.
CREATE TABLE export_reports (
    id      INTEGER PRIMARY KEY,
    at_ms   INTEGER NOT NULL,
    kind    TEXT NOT NULL,             -- what was exported: 'customers.csv', 'customers.vcf', ...
    records INTEGER NOT NULL,          -- how many records the file held
    sent    INTEGER NOT NULL DEFAULT 0 -- 1 once the server acknowledged it
);
