-- Hardening of the hub (issue "Harden the hub").

-- An idempotency key is scoped to the issuing device and the business date (the key column now
-- holds "device:date:key"), and remembers a hash of the request it answered, so the same key
-- with another request is refused instead of returning the first ticket.
ALTER TABLE tickets ADD COLUMN idem_hash TEXT NOT NULL DEFAULT '';

-- Queue order is the ticket's sequence (its id), never the wall clock: within a business date,
-- status, queue and class, this index lists tickets in id order (SQLite keeps the rowid last),
-- and counting who is ahead of a ticket reads the index alone.
DROP INDEX tickets_queue;
CREATE INDEX tickets_queue ON tickets (business_date, status, queue_group, category);

-- Today's calls and recalls for the displays' "recent calls", without scanning the history.
CREATE INDEX events_calls ON events (at) WHERE type IN ('ticket.called', 'ticket.recalled');
