-- 0019 the knowledge base: articles (a problem and its solution) and their links to tickets.
-- Append-only: once released, never edit this file. Column conventions as in 0001.
CREATE TABLE articles (
    id               TEXT PRIMARY KEY,
    title            TEXT NOT NULL DEFAULT '',
    problem          TEXT NOT NULL DEFAULT '',
    solution         TEXT NOT NULL DEFAULT '',
    -- Comma-separated.
    tags             TEXT NOT NULL DEFAULT '',
    product_id       TEXT NOT NULL DEFAULT '',
    -- `en`, `zh` (or empty: any).
    language         TEXT NOT NULL DEFAULT '',
    -- The ticket it was written from, if any.
    source_ticket_id TEXT NOT NULL DEFAULT '',
    owner            TEXT NOT NULL DEFAULT '',
    visibility       TEXT NOT NULL DEFAULT 'team',
    deleted_at       TEXT,
    updated_ms       INTEGER NOT NULL DEFAULT 0,
    _clocks          TEXT NOT NULL DEFAULT '{}',
    _created_seq     INTEGER
);

CREATE TABLE ticket_articles (
    id         TEXT PRIMARY KEY,
    ticket_id  TEXT NOT NULL DEFAULT '',
    article_id TEXT NOT NULL DEFAULT '',
    deleted_at TEXT,
    updated_ms INTEGER NOT NULL DEFAULT 0,
    _clocks    TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX ticket_articles_ticket ON ticket_articles (ticket_id);
CREATE INDEX ticket_articles_article ON ticket_articles (article_id);
