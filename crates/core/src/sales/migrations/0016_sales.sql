-- 0016 the sales module: opportunities and their competitors, products and their prices, quotes
-- (one row per version) and their lines, contracts and their instalments, the team's sales
-- settings. Append-only: once released, never edit this file. Column conventions as in 0001
-- (every NOT NULL column has a default: a remote change may create a row one column at a time).
--
-- Money, quantities and percentages are decimal TEXT, never REAL: `1234.50`.
CREATE TABLE opportunities (
    id             TEXT PRIMARY KEY,
    title          TEXT NOT NULL DEFAULT '',
    customer_id    TEXT NOT NULL DEFAULT '',
    owner          TEXT NOT NULL DEFAULT '',
    visibility     TEXT NOT NULL DEFAULT 'team',
    stage          TEXT NOT NULL DEFAULT '',
    amount         TEXT NOT NULL DEFAULT '0',
    currency       TEXT NOT NULL DEFAULT '',
    probability    TEXT NOT NULL DEFAULT '',
    expected_close TEXT NOT NULL DEFAULT '',
    lost_reason    TEXT NOT NULL DEFAULT '',
    closed_on      TEXT NOT NULL DEFAULT '',
    notes          TEXT NOT NULL DEFAULT '',
    deleted_at     TEXT,
    updated_ms     INTEGER NOT NULL DEFAULT 0,
    _clocks        TEXT NOT NULL DEFAULT '{}',
    _created_seq   INTEGER
);
-- The kanban and the forecast read live deals by stage and by close month.
CREATE INDEX opportunities_stage ON opportunities (stage, expected_close) WHERE deleted_at IS NULL;
CREATE INDEX opportunities_customer ON opportunities (customer_id) WHERE customer_id <> '';

CREATE TABLE opportunity_competitors (
    id             TEXT PRIMARY KEY,
    opportunity_id TEXT NOT NULL DEFAULT '',
    name           TEXT NOT NULL DEFAULT '',
    deleted_at     TEXT,
    updated_ms     INTEGER NOT NULL DEFAULT 0,
    _clocks        TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX opportunity_competitors_opportunity ON opportunity_competitors (opportunity_id);

CREATE TABLE products (
    id           TEXT PRIMARY KEY,
    code         TEXT NOT NULL DEFAULT '',
    name_en      TEXT NOT NULL DEFAULT '',
    name_zh      TEXT NOT NULL DEFAULT '',
    unit         TEXT NOT NULL DEFAULT '',
    tax_percent  TEXT NOT NULL DEFAULT '0',
    active       INTEGER NOT NULL DEFAULT 1,
    notes        TEXT NOT NULL DEFAULT '',
    deleted_at   TEXT,
    updated_ms   INTEGER NOT NULL DEFAULT 0,
    _clocks      TEXT NOT NULL DEFAULT '{}',
    _created_seq INTEGER
);
CREATE INDEX products_code ON products (code) WHERE deleted_at IS NULL;

CREATE TABLE product_prices (
    id         TEXT PRIMARY KEY,
    product_id TEXT NOT NULL DEFAULT '',
    currency   TEXT NOT NULL DEFAULT '',
    price      TEXT NOT NULL DEFAULT '0',
    deleted_at TEXT,
    updated_ms INTEGER NOT NULL DEFAULT 0,
    _clocks    TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX product_prices_product ON product_prices (product_id);

CREATE TABLE quotes (
    id               TEXT PRIMARY KEY,
    number           TEXT NOT NULL DEFAULT '',
    version          INTEGER NOT NULL DEFAULT 1,
    -- The number series of the laptop that made this version: two laptops that each revise the
    -- same quote offline make "v2" and "v2-B", both kept (sales/numbers.rs).
    series           TEXT NOT NULL DEFAULT '',
    revision_of      TEXT NOT NULL DEFAULT '',
    customer_id      TEXT NOT NULL DEFAULT '',
    contact_id       TEXT NOT NULL DEFAULT '',
    opportunity_id   TEXT NOT NULL DEFAULT '',
    owner            TEXT NOT NULL DEFAULT '',
    visibility       TEXT NOT NULL DEFAULT 'team',
    currency         TEXT NOT NULL DEFAULT '',
    issued_on        TEXT NOT NULL DEFAULT '',
    valid_until      TEXT NOT NULL DEFAULT '',
    discount_percent TEXT NOT NULL DEFAULT '0',
    notes            TEXT NOT NULL DEFAULT '',
    terms            TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL DEFAULT 'draft',
    sent_on          TEXT NOT NULL DEFAULT '',
    decided_on       TEXT NOT NULL DEFAULT '',
    deleted_at       TEXT,
    updated_ms       INTEGER NOT NULL DEFAULT 0,
    _clocks          TEXT NOT NULL DEFAULT '{}',
    _created_seq     INTEGER
);
CREATE INDEX quotes_number ON quotes (number, version);
CREATE INDEX quotes_customer ON quotes (customer_id) WHERE customer_id <> '';
CREATE INDEX quotes_opportunity ON quotes (opportunity_id) WHERE opportunity_id <> '';

CREATE TABLE quote_lines (
    id               TEXT PRIMARY KEY,
    quote_id         TEXT NOT NULL DEFAULT '',
    position         INTEGER NOT NULL DEFAULT 0,
    product_id       TEXT NOT NULL DEFAULT '',
    description      TEXT NOT NULL DEFAULT '',
    quantity         TEXT NOT NULL DEFAULT '1',
    unit             TEXT NOT NULL DEFAULT '',
    unit_price       TEXT NOT NULL DEFAULT '0',
    discount_percent TEXT NOT NULL DEFAULT '0',
    tax_percent      TEXT NOT NULL DEFAULT '0',
    deleted_at       TEXT,
    updated_ms       INTEGER NOT NULL DEFAULT 0,
    _clocks          TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX quote_lines_quote ON quote_lines (quote_id, position);

CREATE TABLE contracts (
    id           TEXT PRIMARY KEY,
    number       TEXT NOT NULL DEFAULT '',
    title        TEXT NOT NULL DEFAULT '',
    customer_id  TEXT NOT NULL DEFAULT '',
    contact_id   TEXT NOT NULL DEFAULT '',
    quote_id     TEXT NOT NULL DEFAULT '',
    owner        TEXT NOT NULL DEFAULT '',
    visibility   TEXT NOT NULL DEFAULT 'team',
    value        TEXT NOT NULL DEFAULT '0',
    currency     TEXT NOT NULL DEFAULT '',
    starts_on    TEXT NOT NULL DEFAULT '',
    ends_on      TEXT NOT NULL DEFAULT '',
    terms        TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL DEFAULT 'draft',
    signed_on    TEXT NOT NULL DEFAULT '',
    notice_days  INTEGER NOT NULL DEFAULT 30,
    -- The calendar task reminding of renewal (rewritten when the end or the notice changes).
    renewal_task_id TEXT NOT NULL DEFAULT '',
    deleted_at   TEXT,
    updated_ms   INTEGER NOT NULL DEFAULT 0,
    _clocks      TEXT NOT NULL DEFAULT '{}',
    _created_seq INTEGER
);
CREATE INDEX contracts_number ON contracts (number);
CREATE INDEX contracts_customer ON contracts (customer_id) WHERE customer_id <> '';

CREATE TABLE contract_instalments (
    id          TEXT PRIMARY KEY,
    contract_id TEXT NOT NULL DEFAULT '',
    position    INTEGER NOT NULL DEFAULT 0,
    due_on      TEXT NOT NULL DEFAULT '',
    amount      TEXT NOT NULL DEFAULT '0',
    label       TEXT NOT NULL DEFAULT '',
    task_id     TEXT NOT NULL DEFAULT '',
    paid_on     TEXT NOT NULL DEFAULT '',
    deleted_at  TEXT,
    updated_ms  INTEGER NOT NULL DEFAULT 0,
    _clocks     TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX contract_instalments_contract ON contract_instalments (contract_id, position);

CREATE TABLE sales_settings (
    id           TEXT PRIMARY KEY,
    value        TEXT NOT NULL DEFAULT '',
    deleted_at   TEXT,
    updated_ms   INTEGER NOT NULL DEFAULT 0,
    _clocks      TEXT NOT NULL DEFAULT '{}',
    _created_seq INTEGER
);
