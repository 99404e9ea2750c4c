-- Settings an admin changes while the hub runs, which then win over the configuration file's:
-- the displays' running text (display.running_text). value is JSON.
CREATE TABLE office_settings (
    name       TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    updated_by TEXT NOT NULL
);
