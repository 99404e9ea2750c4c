-- Online booking of an arrival day (issue 14). Headquarters owns a day's online share until
-- its cut-off; the office gets the day's bookings and, at the cut-off, the hand-over.

-- An office's booking rules (antre.BookingPolicy) and the groups it offers with their daily
-- quota; an office without a row takes no bookings.
CREATE TABLE booking_offices (
    office     text PRIMARY KEY REFERENCES offices(code),
    policy     jsonb NOT NULL,
    groups     jsonb NOT NULL,      -- [{"group","name_id","name_en","daily"}]
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- The online places of an office day, per arrival period and group. taken moves only by one
-- conditional update (taken < capacity) in the transaction that writes the booking.
CREATE TABLE booking_slots (
    office   text NOT NULL REFERENCES offices(code),
    date     date NOT NULL,
    period   text NOT NULL,
    grp      text NOT NULL,
    capacity integer NOT NULL CHECK (capacity >= 0),
    taken    integer NOT NULL DEFAULT 0 CHECK (taken >= 0 AND taken <= capacity),
    PRIMARY KEY (office, date, period, grp)
);

-- Bookings. No NIK is stored whole: nik_hash (SHA-256) keeps one person to one slot and counts
-- no-shows; nik_check is what the office checks the last 6 digits against (hqwire.NIKCheck).
-- scope is '' when the one-booking-per-day rule is national, the office otherwise.
CREATE TABLE bookings (
    code        text PRIMARY KEY,
    office      text NOT NULL REFERENCES offices(code),
    date        date NOT NULL,
    period      text NOT NULL,
    grp         text NOT NULL,
    scope       text NOT NULL,
    nik_hash    bytea NOT NULL,
    nik_masked  text NOT NULL,
    nik_check   text NOT NULL,
    name        text NOT NULL,
    phone       text NOT NULL,
    state       text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'cancelled', 'used', 'no_show')),
    moved_from  text,                  -- the booking this one replaced (a reschedule, allowed once)
    ticket      text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
-- One person, one slot: one live booking per NIK per day (per office, or nationally), and one
-- per phone per day (a phone never books for a second NIK on a day).
CREATE UNIQUE INDEX bookings_one_nik ON bookings (nik_hash, date, scope) WHERE state IN ('active', 'used');
CREATE UNIQUE INDEX bookings_one_phone ON bookings (phone, date) WHERE state IN ('active', 'used');
CREATE INDEX bookings_day ON bookings (office, date);

-- Requests waiting for their one-time code: a booking, a move or a cancellation. The code is
-- kept as a hash; it expires and may be tried a few times.
CREATE TABLE booking_requests (
    id          text PRIMARY KEY,
    action      text NOT NULL CHECK (action IN ('book', 'move', 'cancel')),
    booking     text REFERENCES bookings(code),
    office      text NOT NULL REFERENCES offices(code),
    date        date NOT NULL,
    period      text NOT NULL,
    grp         text NOT NULL,
    nik_hash    bytea NOT NULL,
    nik_masked  text NOT NULL,
    nik_check   text NOT NULL,
    name        text NOT NULL,
    phone       text NOT NULL,
    code_hash   bytea NOT NULL,
    expires_at  timestamptz NOT NULL,
    attempts    integer NOT NULL DEFAULT 0,
    done_at     timestamptz,
    result      text,
    client      text NOT NULL DEFAULT '',
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Every change of a booking, with who asked (a request, an office's event).
CREATE TABLE booking_audit (
    id       bigserial PRIMARY KEY,
    booking  text NOT NULL,
    at       timestamptz NOT NULL DEFAULT now(),
    action   text NOT NULL,
    request  text,
    office   text NOT NULL,
    detail   jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX booking_audit_booking ON booking_audit (booking, id);

-- No-shows per NIK, for the offices' cooling-off.
CREATE TABLE booking_no_shows (
    nik_hash  bytea PRIMARY KEY,
    count     integer NOT NULL,
    last_date date NOT NULL
);

-- Office days whose bookings changed and are not yet queued for the office (coalesced).
CREATE TABLE booking_dirty (
    office text NOT NULL REFERENCES offices(code),
    date   date NOT NULL,
    PRIMARY KEY (office, date)
);

-- Office days whose online share was handed over at the cut-off (once each).
CREATE TABLE booking_handovers (
    office  text NOT NULL REFERENCES offices(code),
    date    date NOT NULL,
    at      timestamptz NOT NULL DEFAULT now(),
    data    jsonb NOT NULL,
    PRIMARY KEY (office, date)
);

-- One-time codes on their way by SMS, sent by headquarters' worker through its gateway.
CREATE TABLE booking_sms (
    id         bigserial PRIMARY KEY,
    phone      text NOT NULL,
    body       text NOT NULL,
    attempts   integer NOT NULL DEFAULT 0,
    due_at     timestamptz NOT NULL DEFAULT now(),
    sent_at    timestamptz,
    failed     text,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX booking_sms_due ON booking_sms (due_at) WHERE sent_at IS NULL AND failed IS NULL;

-- Booking by SMS: where each phone's conversation stands (the slot offered, then the request
-- waiting for its code), until it expires.
CREATE TABLE booking_sms_sessions (
    phone      text PRIMARY KEY,
    office     text NOT NULL REFERENCES offices(code),
    date       date NOT NULL,
    period     text NOT NULL,
    grp        text NOT NULL,
    request    text NOT NULL DEFAULT '',
    expires_at timestamptz NOT NULL
);
