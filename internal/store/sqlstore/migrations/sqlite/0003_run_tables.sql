-- The outcome of each table (SCB) or request (Kolada) of a run: each lands
-- whole or not at all, so a run can be partly done ("delvis").
CREATE TABLE run_tables (
    run_id     BIGINT  NOT NULL REFERENCES runs(id),
    position   INTEGER NOT NULL,
    ref        TEXT    NOT NULL,
    status     TEXT    NOT NULL,
    rows_count INTEGER NOT NULL DEFAULT 0,
    error_text TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (run_id, position)
);
