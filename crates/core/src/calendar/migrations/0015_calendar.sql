-- 0015 the calendar module: events (one row per event or recurring series), changed occurrences
-- of a series, attendees, tasks and reminder marks. Append-only: once released, never edit this
-- file. Column conventions as in 0001 (every NOT NULL column has a default: a remote change may
-- create a row one column at a time).
--
-- `starts`/`ends` are text in one of three forms: UTC `YYYY-MM-DDTHH:MM:SSZ` (with the zone it
-- was made in, `tz`), a date `YYYY-MM-DD` (all day; the end is exclusive), or a floating
-- `YYYY-MM-DDTHH:MM:SS` (an .ics time with no zone: read in the zone it is shown in).
CREATE TABLE events (
    id           TEXT PRIMARY KEY,
    kind         TEXT NOT NULL DEFAULT 'meeting',
    title        TEXT NOT NULL DEFAULT '',
    location     TEXT NOT NULL DEFAULT '',
    notes        TEXT NOT NULL DEFAULT '',
    owner        TEXT NOT NULL DEFAULT '',
    visibility   TEXT NOT NULL DEFAULT 'team',
    customer_id  TEXT NOT NULL DEFAULT '',
    starts       TEXT NOT NULL DEFAULT '',
    ends         TEXT NOT NULL DEFAULT '',
    tz           TEXT NOT NULL DEFAULT '',
    rrule        TEXT NOT NULL DEFAULT '',
    rdates       TEXT NOT NULL DEFAULT '',
    exdates      TEXT NOT NULL DEFAULT '',
    reminders    TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL DEFAULT 'confirmed',
    uid          TEXT NOT NULL DEFAULT '',
    deleted_at   TEXT,
    updated_ms   INTEGER NOT NULL DEFAULT 0,
    _clocks      TEXT NOT NULL DEFAULT '{}',
    _created_seq INTEGER,
    -- Local and derived (never synced, never written): the seconds an event can cover at most,
    -- whatever zone it is shown in (a date or floating time may be up to 14 hours either side of
    -- UTC), so "what overlaps this week" is one index range. A series spans from its start on.
    _lo INTEGER GENERATED ALWAYS AS (
        CAST(strftime('%s', substr(starts, 1, 19)) AS INTEGER) - CASE WHEN starts LIKE '%Z' THEN 0 ELSE 50400 END
    ) VIRTUAL,
    _hi INTEGER GENERATED ALWAYS AS (
        CAST(strftime('%s', substr(CASE WHEN ends = '' THEN starts ELSE ends END, 1, 19)) AS INTEGER)
            + CASE WHEN starts LIKE '%Z' THEN 0 ELSE 50400 END
            + CASE WHEN length(starts) = 10 AND ends = '' THEN 86400 ELSE 0 END
    ) VIRTUAL,
    _repeats INTEGER GENERATED ALWAYS AS (rrule <> '' OR rdates <> '') VIRTUAL,
    -- Longer than 8 days (with the slack): read apart, so the scan for the others starts 8 days
    -- before a page.
    _long INTEGER GENERATED ALWAYS AS (_hi - _lo > 691200) VIRTUAL
);
-- A calendar page of one owner (or a team) reads the short events that start at most 8 days
-- before it and before its end, the long ones apart, and every series (calendar/query.rs).
CREATE INDEX events_owner_lo ON events (owner, _lo) WHERE deleted_at IS NULL AND _repeats = 0;
CREATE INDEX events_lo ON events (_lo) WHERE deleted_at IS NULL AND _repeats = 0;
CREATE INDEX events_long ON events (owner) WHERE deleted_at IS NULL AND _repeats = 0 AND _long = 1;
CREATE INDEX events_series ON events (owner) WHERE deleted_at IS NULL AND _repeats = 1;
CREATE INDEX events_customer ON events (customer_id, starts) WHERE customer_id <> '';
CREATE INDEX events_uid ON events (uid) WHERE uid <> '';

CREATE TABLE event_overrides (
    id            TEXT PRIMARY KEY,
    event_id      TEXT NOT NULL DEFAULT '',
    recurrence_id TEXT NOT NULL DEFAULT '',
    cancelled     INTEGER NOT NULL DEFAULT 0,
    title         TEXT,
    location      TEXT,
    notes         TEXT,
    starts        TEXT,
    ends          TEXT,
    deleted_at    TEXT,
    updated_ms    INTEGER NOT NULL DEFAULT 0,
    _clocks       TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX event_overrides_event ON event_overrides (event_id);

CREATE TABLE event_attendees (
    id          TEXT PRIMARY KEY,
    event_id    TEXT NOT NULL DEFAULT '',
    name        TEXT NOT NULL DEFAULT '',
    email       TEXT NOT NULL DEFAULT '',
    customer_id TEXT,
    position    INTEGER NOT NULL DEFAULT 0,
    deleted_at  TEXT,
    updated_ms  INTEGER NOT NULL DEFAULT 0,
    _clocks     TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX event_attendees_event ON event_attendees (event_id);

CREATE TABLE tasks (
    id           TEXT PRIMARY KEY,
    title        TEXT NOT NULL DEFAULT '',
    notes        TEXT NOT NULL DEFAULT '',
    owner        TEXT NOT NULL DEFAULT '',
    visibility   TEXT NOT NULL DEFAULT 'team',
    customer_id  TEXT NOT NULL DEFAULT '',
    due_date     TEXT NOT NULL DEFAULT '',
    due_at       TEXT NOT NULL DEFAULT '',
    tz           TEXT NOT NULL DEFAULT '',
    priority     TEXT NOT NULL DEFAULT 'normal',
    done_at      TEXT,
    reminders    TEXT NOT NULL DEFAULT '',
    deleted_at   TEXT,
    updated_ms   INTEGER NOT NULL DEFAULT 0,
    _clocks      TEXT NOT NULL DEFAULT '{}',
    _created_seq INTEGER
);
CREATE INDEX tasks_owner_due ON tasks (owner, due_date) WHERE deleted_at IS NULL;
CREATE INDEX tasks_customer ON tasks (customer_id) WHERE customer_id <> '';

CREATE TABLE reminder_marks (
    id            TEXT PRIMARY KEY,
    record_type   TEXT NOT NULL DEFAULT 'event',
    record_id     TEXT NOT NULL DEFAULT '',
    due_at        TEXT NOT NULL DEFAULT '',
    dismissed_at  TEXT,
    snoozed_until TEXT,
    deleted_at    TEXT,
    updated_ms    INTEGER NOT NULL DEFAULT 0,
    _clocks       TEXT NOT NULL DEFAULT '{}',
    _created_seq  INTEGER
);

-- Local only (never synced): the reminders this laptop has shown, so none is shown twice here.
CREATE TABLE reminders_shown (
    id       TEXT PRIMARY KEY,
    shown_at TEXT NOT NULL
) WITHOUT ROWID;
