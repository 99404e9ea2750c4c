-- The audit log: one row per admin change, written by the module's hook in the change's own
-- transaction from the change's event (who, what, when, the state before and after, personal
-- data masked). event_id ties it to the office's event log.
CREATE TABLE backoffice_audit (
    id       INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL UNIQUE,
    at       INTEGER NOT NULL,           -- Unix milliseconds
    actor    TEXT NOT NULL,              -- the admin (or "hq", or "" for the command line)
    action   TEXT NOT NULL,              -- the event type: quota.changed, user.changed …
    subject  TEXT NOT NULL,              -- what changed: a group, a date, a user, a device …
    detail   TEXT NOT NULL DEFAULT '',   -- how: added, renamed, revoked, disabled, password …
    before   TEXT,                       -- JSON, NULL when there was nothing before
    after    TEXT                        -- JSON, NULL when it is gone
);
CREATE INDEX backoffice_audit_at ON backoffice_audit (at);
CREATE INDEX backoffice_audit_actor ON backoffice_audit (actor, at);
CREATE INDEX backoffice_audit_action ON backoffice_audit (action, at);
