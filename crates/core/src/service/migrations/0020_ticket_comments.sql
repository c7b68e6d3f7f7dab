-- 0020 tickets' comments (internal, or to the customer), the escalation mark, and the notices
-- this laptop has shown. Append-only: once released, never edit this file. Column conventions
-- as in 0001.

-- When the team's breach actions (raise the priority, reassign) were applied: once per ticket,
-- so a raised priority's shorter target does not raise it again on the next tick.
ALTER TABLE tickets ADD COLUMN escalated_at TEXT NOT NULL DEFAULT '';

CREATE TABLE ticket_comments (
    id         TEXT PRIMARY KEY,
    ticket_id  TEXT NOT NULL DEFAULT '',
    body       TEXT NOT NULL DEFAULT '',
    -- 1: for the team only; 0: said to the customer (the first one is the first response).
    internal   INTEGER NOT NULL DEFAULT 0,
    author     TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT '',
    deleted_at TEXT,
    updated_ms INTEGER NOT NULL DEFAULT 0,
    _clocks    TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX ticket_comments_ticket ON ticket_comments (ticket_id);

-- This laptop's own memory of the SLA notices it showed (`<ticket>|<level>|<due>`): not synced,
-- as each person's laptop tells its own user (like reminders_shown).
CREATE TABLE ticket_notices (
    id      TEXT PRIMARY KEY,
    sent_at TEXT NOT NULL
) WITHOUT ROWID;
