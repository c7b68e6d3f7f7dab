-- 0005 segments: saved customer filters shown in the sidebar with a live count. Synced like the
-- other tables (see 0001); `filter` is the JSON of `SegmentFilter`.
CREATE TABLE segments (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL DEFAULT '',
    filter      TEXT NOT NULL DEFAULT '{}',
    position    INTEGER NOT NULL DEFAULT 0,
    deleted_at  TEXT,
    updated_ms  INTEGER NOT NULL DEFAULT 0,
    _clocks     TEXT NOT NULL DEFAULT '{}'
);
