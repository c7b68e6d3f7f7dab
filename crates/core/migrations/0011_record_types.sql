-- 0011 record types: attachments, custom fields and their values, and saved views (segments)
-- serve every record type, not only customers (see crates/core/src/records). Each row names the
-- type it serves; everything written before is a customer's, which the default says, so this one
-- statement per table moves the existing data. `customer_id` in the attachment and value tables
-- now holds any record's id (its name is on the wire and in released log entries, so it stays);
-- record ids are unique across types, so the existing indexes on it still find a record's rows.
ALTER TABLE attachments ADD COLUMN record_type TEXT NOT NULL DEFAULT 'customer';
ALTER TABLE customer_field_values ADD COLUMN record_type TEXT NOT NULL DEFAULT 'customer';
ALTER TABLE custom_fields ADD COLUMN record_type TEXT NOT NULL DEFAULT 'customer';
ALTER TABLE segments ADD COLUMN record_type TEXT NOT NULL DEFAULT 'customer';
