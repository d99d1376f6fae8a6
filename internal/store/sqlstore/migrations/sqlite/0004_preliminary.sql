-- A figure the source publishes as preliminary (1) or final (0); the final
-- figure replaces the preliminary one in the same row. History keeps the
-- flag so a rollback restores it.
ALTER TABLE observations ADD COLUMN preliminary INTEGER NOT NULL DEFAULT 0;
ALTER TABLE observation_history ADD COLUMN prev_preliminary INTEGER;
