-- The passport workflow's tables. Times are Unix milliseconds (UTC), as in the hub's schema;
-- dates are office-local YYYY-MM-DD.

-- Numbering: one sequence per office and year for application numbers ('file/2026'), and one
-- for the VIP book ('vip/2026').
CREATE TABLE wf_sequences (
    name TEXT PRIMARY KEY,
    last INTEGER NOT NULL
);

-- One row per application file (berkas). The applicant's identity (NIK, name, birth, phone) is
-- stored here once and nowhere else: events, logs and other tables carry the number only.
-- File order is id (the order files were opened); the VIP book (book 0) is a separate sequence
-- (book_seq) before the regular book (book 1).
CREATE TABLE wf_files (
    id              INTEGER PRIMARY KEY,
    number          TEXT NOT NULL UNIQUE,
    ticket          TEXT NOT NULL,
    ticket_date     TEXT NOT NULL,
    ticket_group    TEXT NOT NULL,
    kind            TEXT NOT NULL,
    nik             TEXT NOT NULL,
    name            TEXT NOT NULL,
    birth_date      TEXT NOT NULL,
    birth_place     TEXT NOT NULL,
    female          INTEGER NOT NULL,
    phone           TEXT NOT NULL DEFAULT '',
    pre_application TEXT NOT NULL DEFAULT '',
    stage           TEXT NOT NULL,
    status          TEXT NOT NULL,
    holder          TEXT NOT NULL DEFAULT '',
    taken_at        INTEGER,
    stage_since     INTEGER NOT NULL,
    book            INTEGER NOT NULL DEFAULT 1,
    book_seq        INTEGER NOT NULL DEFAULT 0,
    vip_no          TEXT NOT NULL DEFAULT '',
    retakes         INTEGER NOT NULL DEFAULT 0,
    documents       TEXT NOT NULL DEFAULT '[]',
    fee             INTEGER NOT NULL DEFAULT 0,
    billing_code    TEXT NOT NULL DEFAULT '',
    receipt_no      TEXT NOT NULL DEFAULT '',
    paid_at         INTEGER,
    due             TEXT NOT NULL DEFAULT '',
    blank_serial    TEXT NOT NULL DEFAULT '',
    qa              TEXT NOT NULL DEFAULT '[]',
    alert_level     INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    created_by      TEXT NOT NULL,
    updated_at      INTEGER NOT NULL,
    closed_at       INTEGER
);
-- one queue number serves one application (rule 1)
CREATE UNIQUE INDEX wf_files_ticket ON wf_files (ticket_date, ticket);
-- each stage's worklist in order: what "next" reads
CREATE INDEX wf_files_work ON wf_files (stage, book, book_seq, id)
    WHERE holder = '' AND status IN ('open', 'retake', 'biometric_review', 'duplicate_review');
CREATE INDEX wf_files_stage ON wf_files (stage, status, id) WHERE closed_at IS NULL;
CREATE INDEX wf_files_holder ON wf_files (holder, stage) WHERE holder <> '';
CREATE INDEX wf_files_nik ON wf_files (nik) WHERE closed_at IS NULL;
CREATE INDEX wf_files_due ON wf_files (due) WHERE due <> '' AND closed_at IS NULL;

-- Every step of every file: who, when, from which state to which, why. The audit trail.
CREATE TABLE wf_history (
    id          INTEGER PRIMARY KEY,
    number      TEXT NOT NULL,
    at          INTEGER NOT NULL,
    actor       TEXT NOT NULL,
    step        TEXT NOT NULL,
    from_stage  TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_stage    TEXT NOT NULL,
    to_status   TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    details     TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX wf_history_number ON wf_history (number, id);

-- Each stay of a file at a stage: when it arrived, was taken and left; per-stage times.
CREATE TABLE wf_visits (
    id         INTEGER PRIMARY KEY,
    number     TEXT NOT NULL,
    stage      TEXT NOT NULL,
    entered_at INTEGER NOT NULL,
    taken_at   INTEGER,
    left_at    INTEGER
);
CREATE INDEX wf_visits_open ON wf_visits (number) WHERE left_at IS NULL;
CREATE INDEX wf_visits_left ON wf_visits (left_at, stage);

-- Biometric captures: each item (photo, finger_1 … finger_10, signature) with who and when, per
-- attempt (a retake is a new attempt).
CREATE TABLE wf_captures (
    id      INTEGER PRIMARY KEY,
    number  TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    item    TEXT NOT NULL,
    by      TEXT NOT NULL,
    at      INTEGER NOT NULL
);
CREATE INDEX wf_captures_number ON wf_captures (number, attempt);

-- The latest answer of each outside check per file.
CREATE TABLE wf_checks (
    number TEXT NOT NULL,
    kind   TEXT NOT NULL,
    result TEXT NOT NULL CHECK (result IN ('pending', 'clear', 'hit')),
    source TEXT NOT NULL DEFAULT '',
    ref    TEXT NOT NULL DEFAULT '',
    at     INTEGER NOT NULL,
    PRIMARY KEY (number, kind)
);

-- BAPs: a lost or damaged passport's at intake, Wasdakim's on a cekal hit.
CREATE TABLE wf_baps (
    id     INTEGER PRIMARY KEY,
    number TEXT NOT NULL,
    kind   TEXT NOT NULL CHECK (kind IN ('lost', 'enforcement')),
    ref    TEXT NOT NULL,
    date   TEXT NOT NULL DEFAULT '',
    note   TEXT NOT NULL DEFAULT '',
    by     TEXT NOT NULL,
    at     INTEGER NOT NULL
);

-- Takes that needed a reason: a later file taken before the next one in order. The category is
-- public (the transparency view), the reason is for the head and audits.
CREATE TABLE wf_takes (
    id            INTEGER PRIMARY KEY,
    number        TEXT NOT NULL,
    stage         TEXT NOT NULL,
    actor         TEXT NOT NULL,
    at            INTEGER NOT NULL,
    business_date TEXT NOT NULL,
    skipped       TEXT NOT NULL,
    category      TEXT NOT NULL,
    reason        TEXT NOT NULL
);
CREATE INDEX wf_takes_date ON wf_takes (business_date, stage);

-- Blank passports in the office's stock: taken for a file only at printing; a spoiled blank
-- keeps its serial and the reason.
CREATE TABLE wf_blanks (
    serial     TEXT PRIMARY KEY,
    status     TEXT NOT NULL CHECK (status IN ('available', 'used', 'spoiled')),
    added_at   INTEGER NOT NULL,
    added_by   TEXT NOT NULL,
    number     TEXT NOT NULL DEFAULT '',
    changed_at INTEGER,
    changed_by TEXT NOT NULL DEFAULT '',
    reason     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX wf_blanks_status ON wf_blanks (status, added_at, serial);

-- Every officer's view of a file's personal data: who looked at whose file, when, and why.
CREATE TABLE wf_views (
    id      INTEGER PRIMARY KEY,
    number  TEXT NOT NULL,
    viewer  TEXT NOT NULL,
    role    TEXT NOT NULL,
    purpose TEXT NOT NULL,
    at      INTEGER NOT NULL
);
CREATE INDEX wf_views_number ON wf_views (number, id);
CREATE INDEX wf_views_viewer ON wf_views (viewer, id);
