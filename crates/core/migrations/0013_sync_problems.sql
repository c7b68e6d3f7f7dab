-- 0013 sync problems: a change this laptop could not take (a teammate's buggy or hostile client
-- sent a value the column cannot hold) is set aside here with the reason, instead of failing the
-- whole page it came in and stopping sync for good. Local bookkeeping, never synced; Settings
-- lists it.
CREATE TABLE sync_problems (
    id        INTEGER PRIMARY KEY,
    direction TEXT NOT NULL,          -- 'pull': a change from the server; 'push': one it refused
    site_id   TEXT,
    hlc       INTEGER,
    tbl       TEXT NOT NULL,
    row_id    TEXT NOT NULL,
    changes   TEXT NOT NULL,          -- the change's columns and values, as JSON
    reason    TEXT NOT NULL,
    at_ms     INTEGER NOT NULL,
    UNIQUE (direction, site_id, hlc, tbl, row_id)
);
