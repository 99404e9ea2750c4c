-- The applicant's voice: the survey's key and subjects, responses, complaints, the information
-- kiosk's texts, and the public record of today's calls and dispensations.

-- Secrets of the module (the survey token key), made once at first start.
CREATE TABLE voice_keys (
    name       TEXT PRIMARY KEY,
    secret     BLOB NOT NULL,
    created_at INTEGER NOT NULL
);

-- Every real finish of a ticket at a counter (ticket.finished): what a survey may be answered
-- for, where, and the denominator of the share of tickets answered.
CREATE TABLE voice_finishes (
    id            INTEGER PRIMARY KEY,
    business_date TEXT NOT NULL,
    ticket        TEXT NOT NULL,
    grp           TEXT NOT NULL,
    counter       INTEGER NOT NULL,
    at            INTEGER NOT NULL,
    UNIQUE (business_date, ticket)
);
CREATE INDEX voice_finishes_counter ON voice_finishes (counter, id);
CREATE INDEX voice_finishes_ticket ON voice_finishes (ticket, business_date);

-- One response per ticket (its business date and code), under the regulation in force when it
-- was given; answers are a JSON array of 1–4, profile a JSON object of optional answers.
CREATE TABLE voice_responses (
    id            INTEGER PRIMARY KEY,
    business_date TEXT NOT NULL,
    ticket        TEXT NOT NULL,
    grp           TEXT NOT NULL,
    counter       INTEGER NOT NULL,
    via           TEXT NOT NULL CHECK (via IN ('tablet', 'qr', 'sms')),
    regulation    TEXT NOT NULL,
    answers       TEXT NOT NULL,
    profile       TEXT NOT NULL DEFAULT '{}',
    suggestion    TEXT NOT NULL DEFAULT '',
    at            INTEGER NOT NULL,
    UNIQUE (business_date, ticket)
);
CREATE INDEX voice_responses_date ON voice_responses (business_date);

CREATE TABLE voice_complaints (
    id            INTEGER PRIMARY KEY,
    number        TEXT NOT NULL UNIQUE,
    channel       TEXT NOT NULL CHECK (channel IN ('sms', 'web', 'desk', 'box')),
    category      TEXT NOT NULL,
    body          TEXT NOT NULL,
    name          TEXT NOT NULL DEFAULT '',
    phone         TEXT NOT NULL DEFAULT '',
    lang          TEXT NOT NULL DEFAULT 'id',
    ticket        TEXT NOT NULL DEFAULT '',
    application   TEXT NOT NULL DEFAULT '',
    status        TEXT NOT NULL CHECK (status IN ('received', 'under_review', 'answered', 'closed', 'rejected')),
    holder        TEXT NOT NULL DEFAULT '',
    recorded_by   TEXT NOT NULL DEFAULT '',
    received_date TEXT NOT NULL,
    due_date      TEXT NOT NULL,
    received_at   INTEGER NOT NULL,
    reviewed_at   INTEGER,
    answered_at   INTEGER,
    closed_at     INTEGER,
    closed_date   TEXT NOT NULL DEFAULT '',
    answer        TEXT NOT NULL DEFAULT '',
    reject_reason TEXT NOT NULL DEFAULT '',
    escalated_at  INTEGER,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX voice_complaints_open ON voice_complaints (status, due_date);
CREATE INDEX voice_complaints_received ON voice_complaints (received_date);

-- Who did what to a complaint, when (the accountability the guideline asks for).
CREATE TABLE voice_complaint_history (
    id          INTEGER PRIMARY KEY,
    number      TEXT NOT NULL,
    at          INTEGER NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status   TEXT NOT NULL
);
CREATE INDEX voice_complaint_history_number ON voice_complaint_history (number, id);

-- The information kiosk's texts as an admin edited them (one JSON document).
CREATE TABLE voice_settings (
    name       TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    updated_by TEXT NOT NULL
);

-- Every call, with the rule that chose it (never an officer's note), for the transparency page.
CREATE TABLE voice_calls (
    id            INTEGER PRIMARY KEY,
    business_date TEXT NOT NULL,
    at            INTEGER NOT NULL,
    ticket        TEXT NOT NULL,
    grp           TEXT NOT NULL,
    counter       INTEGER NOT NULL,
    reason        TEXT NOT NULL
);
CREATE INDEX voice_calls_date ON voice_calls (business_date, id);

-- Every dispensation (declared at the kiosk or granted by an officer): its category only.
CREATE TABLE voice_dispensations (
    id            INTEGER PRIMARY KEY,
    business_date TEXT NOT NULL,
    category      TEXT NOT NULL,
    at            INTEGER NOT NULL
);
CREATE INDEX voice_dispensations_date ON voice_dispensations (business_date);
