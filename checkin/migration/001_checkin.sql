-- Check-in of online bookings at the office: the coming days' bookings as headquarters sent
-- them (no NIK, no phone: the NIK check and the masked name), each booking's check-in and
-- no-show, and the online quota handed over to walk-ins.

-- One row per business date whose bookings headquarters sent: the newest setting applied, and
-- when the day's no-shows were written (NULL: not yet).
CREATE TABLE checkin_days (
    date        TEXT PRIMARY KEY,
    setting_id  INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    noshows_at  INTEGER
);

-- The day's bookings, replaced as a whole when a newer setting of the day arrives.
CREATE TABLE checkin_bookings (
    date      TEXT NOT NULL,
    booking   TEXT NOT NULL,
    period    TEXT NOT NULL,
    grp       TEXT NOT NULL,
    state     TEXT NOT NULL,
    nik_check TEXT NOT NULL,
    name      TEXT NOT NULL,
    PRIMARY KEY (date, booking)
);
CREATE INDEX checkin_bookings_code ON checkin_bookings (booking);

-- A booking's check-in: once (the primary key); the answer the kiosk printed, for its retry.
CREATE TABLE checkin_checkins (
    date    TEXT NOT NULL,
    booking TEXT NOT NULL,
    ticket  TEXT NOT NULL,
    at      INTEGER NOT NULL,
    actor   TEXT NOT NULL,
    idem    TEXT,
    answer  TEXT NOT NULL,
    PRIMARY KEY (date, booking)
);

-- A booking not checked in by closing: once.
CREATE TABLE checkin_noshows (
    date    TEXT NOT NULL,
    booking TEXT NOT NULL,
    at      INTEGER NOT NULL,
    PRIMARY KEY (date, booking)
);

-- The online quota of a date and group handed over to walk-ins: once (the primary key).
CREATE TABLE checkin_handovers (
    date       TEXT NOT NULL,
    grp        TEXT NOT NULL,
    setting_id INTEGER NOT NULL,
    booked     INTEGER NOT NULL,
    unused     INTEGER NOT NULL,
    moved      INTEGER NOT NULL,
    at         INTEGER NOT NULL,
    PRIMARY KEY (date, grp)
);
