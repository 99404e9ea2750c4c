-- Devices take the feedback role too: a tablet at a counter that shows the satisfaction survey
-- of the ticket just finished there. SQLite cannot change a CHECK, so the table is rebuilt with
-- the same ids, tokens and settings (no other table refers to it).
CREATE TABLE devices_new (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    role       TEXT NOT NULL CHECK (role IN ('kiosk', 'display', 'feedback')),
    token_hash TEXT NOT NULL UNIQUE,
    settings   TEXT NOT NULL DEFAULT '{}', -- per-device settings: the groups a display shows, the counter of a tablet
    created_at INTEGER NOT NULL
);
INSERT INTO devices_new (id, name, role, token_hash, settings, created_at)
    SELECT id, name, role, token_hash, settings, created_at FROM devices;
DROP TABLE devices;
ALTER TABLE devices_new RENAME TO devices;
