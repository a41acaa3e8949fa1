-- The volunteer lifecycle: why she left, where her reminders go once two accounts are linked,
-- one-time link codes (only their hash is kept), and concerns reported about a match.
ALTER TABLE volunteers ADD COLUMN left_reason TEXT;
ALTER TABLE volunteers ADD COLUMN prefers TEXT;

CREATE TABLE link_codes (
    code_hash TEXT PRIMARY KEY,
    volunteer_id INTEGER NOT NULL REFERENCES volunteers (id) ON DELETE CASCADE,
    platform TEXT NOT NULL,             -- where the code was shown; it is entered on the other
    expires_at TEXT NOT NULL,
    used_at TEXT
);

CREATE TABLE concerns (
    id INTEGER PRIMARY KEY,
    volunteer_id INTEGER REFERENCES volunteers (id) ON DELETE SET NULL,
    match_id INTEGER REFERENCES matches (id) ON DELETE SET NULL,
    kind TEXT NOT NULL,
    details TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open',
    created_at TEXT NOT NULL,
    handled_by TEXT,
    handled_at TEXT,
    note TEXT
);
CREATE INDEX concerns_status ON concerns (status, id);
