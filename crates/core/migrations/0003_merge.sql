-- 0003 merge: a customer absorbed by a merge keeps its rows (in the trash) and points at the
-- record that absorbed it, so the survivor's history can include the absorbed record's past.
-- A synced column like the others; NULL for every record that was never merged away.
ALTER TABLE customers ADD COLUMN merged_into TEXT;
CREATE INDEX customers_merged_into ON customers (merged_into) WHERE merged_into IS NOT NULL;
