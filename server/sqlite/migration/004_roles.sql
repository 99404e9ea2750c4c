-- Accounts take every staff role: officer, the passport workflow's stage roles (oss, biometric,
-- adjudicator, cashier, printing, approver, pickup), the head of office and the admin. SQLite
-- cannot change a CHECK, so the table is rebuilt with the same ids; dropping the old table ends
-- the open sessions (a foreign-key cascade), so officers log in again once after the upgrade.
PRAGMA defer_foreign_keys = ON;
CREATE TABLE users_new (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    role          TEXT NOT NULL CHECK (role IN ('officer', 'oss', 'biometric', 'adjudicator', 'cashier', 'printing',
                                                'approver', 'pickup', 'head', 'admin')),
    password_hash TEXT NOT NULL,
    created_at    INTEGER NOT NULL
);
INSERT INTO users_new (id, name, role, password_hash, created_at) SELECT id, name, role, password_hash, created_at FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
