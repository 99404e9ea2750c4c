-- The headquarters link's tables. Times are Unix milliseconds (UTC), as in the hub's schema.

-- The business dates whose day event (office.day) was written, and the newest event before the
-- date opened: today's figures fold the events after it.
CREATE TABLE hqlink_days (
    date     TEXT PRIMARY KEY,
    after_id INTEGER NOT NULL,
    at       INTEGER NOT NULL
);

-- Every setting received from headquarters, by headquarters' ID: applied once, kept after.
CREATE TABLE hqlink_settings (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    body        TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    result      TEXT NOT NULL -- applied, expired, kept (no module handles its kind), or the error
);
