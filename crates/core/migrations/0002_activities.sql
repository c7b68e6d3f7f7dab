-- 0002 activities: calls, visits, meetings, emails and notes logged against a customer.
-- A synced table like the others (see 0001 for the column conventions). `occurred_at` is UTC
-- RFC 3339 with milliseconds, so text order is time order; the timeline reads a customer's
-- activities newest first through the index below.
CREATE TABLE activities (
    id               TEXT PRIMARY KEY,
    customer_id      TEXT NOT NULL DEFAULT '',
    kind             TEXT NOT NULL DEFAULT 'note',
    occurred_at      TEXT NOT NULL DEFAULT '',
    duration_minutes INTEGER,
    outcome          TEXT NOT NULL DEFAULT '',
    body             TEXT NOT NULL DEFAULT '',
    logged_by        TEXT NOT NULL DEFAULT '',
    deleted_at       TEXT,
    updated_ms       INTEGER NOT NULL DEFAULT 0,
    _clocks          TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX activities_customer_time ON activities (customer_id, occurred_at);
