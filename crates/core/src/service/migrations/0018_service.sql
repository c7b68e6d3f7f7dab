-- 0018 the service module: tickets, the times a ticket waited on the customer, the team's
-- service settings. Append-only: once released, never edit this file. Column conventions as in
-- 0001 (every NOT NULL column has a default: a remote change may create a row one column at a
-- time). Times are UTC RFC 3339 text; empty for "not yet".
CREATE TABLE tickets (
    id                TEXT PRIMARY KEY,
    number            TEXT NOT NULL DEFAULT '',
    customer_id       TEXT NOT NULL DEFAULT '',
    contract_id       TEXT NOT NULL DEFAULT '',
    product_id        TEXT NOT NULL DEFAULT '',
    channel           TEXT NOT NULL DEFAULT 'phone',
    category          TEXT NOT NULL DEFAULT '',
    priority          TEXT NOT NULL DEFAULT 'normal',
    status            TEXT NOT NULL DEFAULT 'new',
    assignee          TEXT NOT NULL DEFAULT '',
    owner             TEXT NOT NULL DEFAULT '',
    visibility        TEXT NOT NULL DEFAULT 'team',
    subject           TEXT NOT NULL DEFAULT '',
    description       TEXT NOT NULL DEFAULT '',
    opened_at         TEXT NOT NULL DEFAULT '',
    first_response_at TEXT NOT NULL DEFAULT '',
    resolved_at       TEXT NOT NULL DEFAULT '',
    closed_at         TEXT NOT NULL DEFAULT '',
    rating            INTEGER NOT NULL DEFAULT 0,
    rating_comment    TEXT NOT NULL DEFAULT '',
    deleted_at        TEXT,
    updated_ms        INTEGER NOT NULL DEFAULT 0,
    _clocks           TEXT NOT NULL DEFAULT '{}',
    _created_seq      INTEGER
);
-- Queues read live tickets by status and priority; a customer's page reads its own.
CREATE INDEX tickets_queue ON tickets (status, priority, opened_at) WHERE deleted_at IS NULL;
CREATE INDEX tickets_customer ON tickets (customer_id) WHERE customer_id <> '';
CREATE INDEX tickets_number ON tickets (number);

CREATE TABLE ticket_pauses (
    id         TEXT PRIMARY KEY,
    ticket_id  TEXT NOT NULL DEFAULT '',
    from_at    TEXT NOT NULL DEFAULT '',
    until_at   TEXT NOT NULL DEFAULT '',
    deleted_at TEXT,
    updated_ms INTEGER NOT NULL DEFAULT 0,
    _clocks    TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX ticket_pauses_ticket ON ticket_pauses (ticket_id);

CREATE TABLE service_settings (
    id           TEXT PRIMARY KEY,
    value        TEXT NOT NULL DEFAULT '',
    deleted_at   TEXT,
    updated_ms   INTEGER NOT NULL DEFAULT 0,
    _clocks      TEXT NOT NULL DEFAULT '{}',
    _created_seq INTEGER
);
