-- Times are Unix microseconds (UTC) in both dialects, so one code path reads them.
CREATE TABLE batches (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    kind           TEXT    NOT NULL,
    source         TEXT    NOT NULL,
    label          TEXT    NOT NULL,
    actor          TEXT    NOT NULL,
    created_at     BIGINT  NOT NULL,
    rows_total     INTEGER NOT NULL DEFAULT 0,
    new_count      INTEGER NOT NULL DEFAULT 0,
    changed_count  INTEGER NOT NULL DEFAULT 0,
    unchanged_count INTEGER NOT NULL DEFAULT 0,
    shadowed_count INTEGER NOT NULL DEFAULT 0,
    status         TEXT    NOT NULL,
    rolled_back_at BIGINT,
    rolled_back_by TEXT
);

-- One row per cell and source kind; a missing figure is no row.
CREATE TABLE observations (
    municipality TEXT    NOT NULL,
    indicator    TEXT    NOT NULL,
    year         INTEGER NOT NULL,
    source       TEXT    NOT NULL,
    value        DOUBLE PRECISION NOT NULL,
    source_ref   TEXT    NOT NULL,
    batch_id     INTEGER NOT NULL REFERENCES batches(id),
    fetched_at   BIGINT  NOT NULL,
    PRIMARY KEY (municipality, indicator, year, source)
);
CREATE INDEX observations_indicator_year ON observations (indicator, year);
CREATE INDEX observations_batch ON observations (batch_id);

-- What each batch replaced (prev_batch NULL: the slot was empty), so a
-- rollback restores exactly what was there.
CREATE TABLE observation_history (
    batch_id        INTEGER NOT NULL REFERENCES batches(id),
    municipality    TEXT    NOT NULL,
    indicator       TEXT    NOT NULL,
    year            INTEGER NOT NULL,
    source          TEXT    NOT NULL,
    prev_value      DOUBLE PRECISION,
    prev_ref        TEXT,
    prev_batch      INTEGER,
    prev_fetched_at BIGINT,
    PRIMARY KEY (batch_id, municipality, indicator, year, source)
);

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO meta (key, value) VALUES ('data_version', 1);

CREATE TABLE runs (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    source          TEXT    NOT NULL,
    trigger_kind    TEXT    NOT NULL,
    started_at      BIGINT  NOT NULL,
    finished_at     BIGINT,
    status          TEXT    NOT NULL,
    batch_id        INTEGER,
    new_count       INTEGER NOT NULL DEFAULT 0,
    changed_count   INTEGER NOT NULL DEFAULT 0,
    unchanged_count INTEGER NOT NULL DEFAULT 0,
    error_text      TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX runs_source_started ON runs (source, started_at);

CREATE TABLE table_stamps (
    source     TEXT   NOT NULL,
    table_id   TEXT   NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (source, table_id)
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT   NOT NULL UNIQUE,
    role          TEXT   NOT NULL,
    password_hash TEXT   NOT NULL,
    created_at    BIGINT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token TEXT    NOT NULL,
    created_at BIGINT  NOT NULL,
    expires_at BIGINT  NOT NULL
);

-- An uploaded file between preview and confirm, so any instance can confirm it.
CREATE TABLE pending_imports (
    id         TEXT   PRIMARY KEY,
    user_name  TEXT   NOT NULL,
    file_name  TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    payload    TEXT   NOT NULL
);

-- Leases make scheduled jobs run on one instance only.
CREATE TABLE leases (
    name       TEXT   PRIMARY KEY,
    holder     TEXT   NOT NULL,
    expires_at BIGINT NOT NULL
);
