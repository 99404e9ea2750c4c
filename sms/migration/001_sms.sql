-- The SMS module's tables. Times are Unix milliseconds (UTC), as in the hub's schema.

-- Every message to send. A message is written in the same transaction as the state change that
-- causes it; dedupe_key makes writing it twice a no-op, so a retried change never sends twice.
CREATE TABLE sms_outbox (
    id           INTEGER PRIMARY KEY,
    dedupe_key   TEXT NOT NULL UNIQUE,
    kind         TEXT NOT NULL,                -- the template that made it: called, turn_near, quota_open …
    phone        TEXT NOT NULL,
    body         TEXT NOT NULL,
    broadcast    INTEGER NOT NULL DEFAULT 0,   -- 1: skipped for numbers that sent STOP
    prio         INTEGER NOT NULL DEFAULT 1,   -- lower is sent first: calls before broadcasts
    status       TEXT NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'accepted', 'delivered',
                                                 'undelivered', 'dead', 'skipped')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_at      INTEGER NOT NULL,
    last_error   TEXT NOT NULL DEFAULT '',
    gateway_id   TEXT NOT NULL DEFAULT '',
    parts        INTEGER NOT NULL DEFAULT 1,
    created_at   INTEGER NOT NULL,
    sent_at      INTEGER,
    done_at      INTEGER,                      -- delivered, undelivered, dead or skipped
    updated_at   INTEGER NOT NULL
);
CREATE INDEX sms_outbox_due ON sms_outbox (status, prio, next_at);
CREATE INDEX sms_outbox_created ON sms_outbox (created_at);

-- Gateway message ids (one per part for SMPP), the message each belongs to and the part's latest
-- delivery report. A receipt can overtake the submit answer: it is kept here with no outbox_id
-- and applied when the worker stores the id.
CREATE TABLE sms_gateway_ids (
    gateway_id TEXT PRIMARY KEY,
    outbox_id  INTEGER REFERENCES sms_outbox(id) ON DELETE CASCADE,
    state      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sms_gateway_ids_outbox ON sms_gateway_ids (outbox_id);

-- Work the worker does outside the state change's transaction: expanding a broadcast to every
-- subscriber, and finding the tickets whose turn is near after a call.
CREATE TABLE sms_jobs (
    id         INTEGER PRIMARY KEY,
    dedupe_key TEXT NOT NULL UNIQUE,
    kind       TEXT NOT NULL CHECK (kind IN ('broadcast', 'near_check')),
    data       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    done_at    INTEGER
);
CREATE INDEX sms_jobs_pending ON sms_jobs (done_at, id);

-- Numbers that asked for broadcasts (MULAI/START) and numbers that opted out (STOP/BERHENTI).
CREATE TABLE sms_subscribers (
    phone      TEXT PRIMARY KEY,
    lang       TEXT NOT NULL DEFAULT 'id',
    active     INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

-- Every inbound message, for the per-number rate limit and the audit trail.
CREATE TABLE sms_inbound (
    id     INTEGER PRIMARY KEY,
    phone  TEXT NOT NULL,
    body   TEXT NOT NULL,
    at     INTEGER NOT NULL,
    result TEXT NOT NULL DEFAULT ''           -- the command, or "limited"
);
CREATE INDEX sms_inbound_phone ON sms_inbound (phone, at);

-- Templates an admin edited; the defaults live in code.
CREATE TABLE sms_templates (
    name       TEXT NOT NULL,
    lang       TEXT NOT NULL,
    body       TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (name, lang)
);

-- Application files and their status, answered by "STATUS <no>" until the workflow modules exist.
CREATE TABLE sms_applications (
    number     TEXT PRIMARY KEY,
    phone      TEXT NOT NULL DEFAULT '',
    status     TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);
