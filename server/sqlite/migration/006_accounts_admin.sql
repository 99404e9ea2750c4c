-- An admin may disable an account (it stays, so the history keeps its name): 0 while it is
-- active, else when it was disabled (Unix milliseconds).
ALTER TABLE users ADD COLUMN disabled_at INTEGER NOT NULL DEFAULT 0;
