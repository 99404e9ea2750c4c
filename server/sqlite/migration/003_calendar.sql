-- The office's closed days: national holidays and cuti bersama (from headquarters or the admin),
-- regional holidays and the office's own closures. Working days are the open weekdays minus
-- these (antre.Calendar).
CREATE TABLE holidays (
    date       TEXT PRIMARY KEY,        -- office-local YYYY-MM-DD
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('national', 'cuti_bersama', 'regional', 'office')),
    source     TEXT NOT NULL DEFAULT 'office', -- who set it: office (its admin) or hq
    updated_at INTEGER NOT NULL
);
