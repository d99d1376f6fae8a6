-- Kolada's municipality groups as last fetched by the monthly Kolada run
-- (replaced whole); until the first fetch the binary's snapshot is used.
-- members is the comma-separated list of kommunkoder.
CREATE TABLE municipality_groups (
    id         TEXT   PRIMARY KEY,
    title      TEXT   NOT NULL,
    members    TEXT   NOT NULL,
    fetched_at BIGINT NOT NULL
);

-- The network's members as admins edit them (/admin/medlemmar). Empty
-- until the first edit: the configured list applies. A removed member
-- keeps its row (active = 0) so who removed it and when stays on record.
CREATE TABLE network_members (
    code          TEXT    PRIMARY KEY,
    evidence      TEXT    NOT NULL,
    evidence_date TEXT    NOT NULL,
    joined        INTEGER NOT NULL,
    active        INTEGER NOT NULL,
    changed_by    TEXT    NOT NULL,
    changed_at    BIGINT  NOT NULL
);
