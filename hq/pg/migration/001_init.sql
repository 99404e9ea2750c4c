-- Headquarters' store. Instants are timestamptz; business dates are the office-local date.

-- The offices that may ship to headquarters, with where their shipping has got to.
CREATE TABLE offices (
    code               text PRIMARY KEY,
    name               text NOT NULL,
    region             text NOT NULL DEFAULT '',
    time_zone          text NOT NULL DEFAULT 'Asia/Jakarta',
    user_key           text NOT NULL,               -- public key of its NATS credentials
    created_at         timestamptz NOT NULL DEFAULT now(),
    events             bigint NOT NULL DEFAULT 0,   -- its events stored here
    max_event_id       bigint NOT NULL DEFAULT 0,
    contiguous_through bigint NOT NULL DEFAULT 0,   -- every event 1..this is stored
    last_event_at      timestamptz,                 -- its newest event's instant, by its clock
    last_received_at   timestamptz,                 -- when headquarters last stored one
    conflicts          bigint NOT NULL DEFAULT 0,   -- events that came again with other content
    restored_at        timestamptz,                 -- when its log was found behind headquarters'
    restored_note      text NOT NULL DEFAULT ''
);

-- Every office's events, once each: the primary key makes a replayed event a no-op.
CREATE TABLE events (
    office      text NOT NULL REFERENCES offices(code),
    event_id    bigint NOT NULL,
    type        text NOT NULL,
    at          timestamptz NOT NULL,
    day         date NOT NULL,                      -- the business date it counts for (tally.DateOf)
    ticket      text NOT NULL DEFAULT '',
    grp         text NOT NULL DEFAULT '',
    counter     integer NOT NULL DEFAULT 0,
    actor       text NOT NULL DEFAULT '',
    data        jsonb,
    hash        bytea NOT NULL,                     -- sha256 of the message as shipped
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (office, event_id)
);
CREATE INDEX events_day ON events (office, day, event_id);

-- An event ID that came again with other content: the office's log went back (a restored
-- backup) and wrote different events under IDs headquarters already has. Kept, never counted.
CREATE TABLE event_conflicts (
    office      text NOT NULL REFERENCES offices(code),
    event_id    bigint NOT NULL,
    hash        bytea NOT NULL,
    event       jsonb NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (office, event_id, hash)
);

-- Each office's figures per business date (tally.Figures), for reports; stale until folded
-- again after new events of that date arrived (version counts the arrivals).
CREATE TABLE days (
    office        text NOT NULL REFERENCES offices(code),
    day           date NOT NULL,
    figures       jsonb,
    last_event_id bigint NOT NULL DEFAULT 0,
    stale         boolean NOT NULL DEFAULT true,
    version       bigint NOT NULL DEFAULT 1,
    PRIMARY KEY (office, day)
);
CREATE INDEX days_stale ON days (office, day) WHERE stale;

-- The national calendar headquarters keeps.
CREATE TABLE holidays (
    date       date PRIMARY KEY,
    name       text NOT NULL,
    kind       text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Quota headquarters set for an office, group and day.
CREATE TABLE quotas (
    office     text NOT NULL REFERENCES offices(code),
    date       date NOT NULL,
    grp        text NOT NULL,
    walkin     integer NOT NULL,
    online     integer NOT NULL,
    priority   integer NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (office, date, grp)
);

-- Settings on their way to an office (hqwire.Setting without its id, which is this row's).
CREATE TABLE outbox (
    id           bigserial PRIMARY KEY,
    office       text NOT NULL REFERENCES offices(code),
    body         jsonb NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    published_at timestamptz
);
CREATE INDEX outbox_pending ON outbox (id) WHERE published_at IS NULL;
