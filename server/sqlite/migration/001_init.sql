-- The office hub's schema. Times are Unix milliseconds (UTC); business dates are the office-local
-- calendar date as YYYY-MM-DD.

CREATE TABLE groups (
    code           TEXT PRIMARY KEY,
    position       INTEGER NOT NULL,
    name_id        TEXT NOT NULL,
    name_en        TEXT NOT NULL,
    prefix         TEXT NOT NULL UNIQUE,
    quota_walkin   INTEGER NOT NULL CHECK (quota_walkin >= 0),
    quota_online   INTEGER NOT NULL CHECK (quota_online >= 0),
    quota_priority INTEGER NOT NULL CHECK (quota_priority >= 0)
);

CREATE TABLE counters (
    number        INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    groups        TEXT NOT NULL,          -- comma-separated group codes it serves
    normal_streak INTEGER NOT NULL DEFAULT 0 -- ordinary calls since its last priority call
);

-- One numbering sequence and quota usage per office, group and business date. A new date starts a
-- new row, so numbering restarts at local midnight without any scheduled job.
CREATE TABLE sequences (
    office        TEXT NOT NULL,
    business_date TEXT NOT NULL,
    group_code    TEXT NOT NULL REFERENCES groups(code),
    last_number   INTEGER NOT NULL DEFAULT 0,
    used_walkin   INTEGER NOT NULL DEFAULT 0,
    used_online   INTEGER NOT NULL DEFAULT 0,
    used_priority INTEGER NOT NULL DEFAULT 0,
    -- today's quota override set by an admin (NULL: the group's standing quota applies)
    q_walkin      INTEGER,
    q_online      INTEGER,
    q_priority    INTEGER,
    PRIMARY KEY (office, business_date, group_code)
);

CREATE TABLE tickets (
    id             INTEGER PRIMARY KEY,
    office         TEXT NOT NULL,
    business_date  TEXT NOT NULL,
    group_code     TEXT NOT NULL REFERENCES groups(code),
    number         INTEGER NOT NULL,
    code           TEXT NOT NULL,
    pool           TEXT NOT NULL CHECK (pool IN ('walkin', 'online', 'priority')),
    category       TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL CHECK (status IN ('waiting', 'called', 'serving', 'done', 'no_show', 'cancelled')),
    issued_at      INTEGER NOT NULL,
    queue_group    TEXT NOT NULL REFERENCES groups(code),
    target_counter INTEGER,
    counter        INTEGER,
    called_at      INTEGER,
    started_at     INTEGER,
    finished_at    INTEGER,
    no_show_at     INTEGER,
    recalls        INTEGER NOT NULL DEFAULT 0,
    called_by      TEXT NOT NULL DEFAULT '',
    print_state    TEXT NOT NULL DEFAULT '',
    issued_by      TEXT NOT NULL DEFAULT '', -- the kiosk or officer that issued it
    phone          TEXT NOT NULL DEFAULT '',
    idem_key       TEXT,
    -- prefixes are unique per group, so a unique code per day also makes numbers unique
    UNIQUE (business_date, code, office)
);
CREATE UNIQUE INDEX tickets_idem ON tickets (idem_key) WHERE idem_key IS NOT NULL;
CREATE INDEX tickets_queue ON tickets (business_date, status, queue_group, issued_at);

-- Every grant of a dispensation: who, when, why.
CREATE TABLE dispensations (
    id         INTEGER PRIMARY KEY,
    ticket_id  INTEGER NOT NULL REFERENCES tickets(id),
    category   TEXT NOT NULL,
    granted_by TEXT NOT NULL,
    reason     TEXT NOT NULL,
    at         INTEGER NOT NULL
);

-- The append-only history. AUTOINCREMENT keeps IDs monotonic even after deletions.
CREATE TABLE events (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    office  TEXT NOT NULL,
    type    TEXT NOT NULL,
    at      INTEGER NOT NULL,
    ticket  TEXT NOT NULL DEFAULT '',
    grp     TEXT NOT NULL DEFAULT '',
    counter INTEGER NOT NULL DEFAULT 0,
    actor   TEXT NOT NULL DEFAULT '',
    data    TEXT NOT NULL DEFAULT ''
);

-- Where each consumer that ships events elsewhere has got to: advancing the cursor in the same
-- transaction as recording the shipment makes shipping exactly-once.
CREATE TABLE event_cursors (
    consumer TEXT PRIMARY KEY,
    last_id  INTEGER NOT NULL
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL CHECK (role IN ('officer', 'admin')),
    password_hash TEXT NOT NULL,
    created_at    INTEGER NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    expires_at INTEGER NOT NULL
);

CREATE TABLE devices (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    role       TEXT NOT NULL CHECK (role IN ('kiosk', 'display')),
    token_hash TEXT NOT NULL UNIQUE,
    settings   TEXT NOT NULL DEFAULT '{}', -- per-device settings, e.g. which groups a display shows
    created_at INTEGER NOT NULL
);

CREATE TABLE alerts (
    device  TEXT NOT NULL,
    kind    TEXT NOT NULL,
    message TEXT NOT NULL,
    at      INTEGER NOT NULL,
    PRIMARY KEY (device, kind)
);
