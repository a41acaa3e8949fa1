-- The whole domain (shared/DOMAIN.md). Times are ISO-8601 UTC text; dates are ISO text.
CREATE TABLE volunteers (
    id INTEGER PRIMARY KEY,
    display_name TEXT NOT NULL,
    pronouns TEXT NOT NULL DEFAULT '',
    languages TEXT NOT NULL,            -- JSON list of codes
    interests TEXT NOT NULL,            -- JSON list
    capacity INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 5),
    frequency TEXT NOT NULL,
    timezone TEXT NOT NULL,
    status TEXT NOT NULL,
    guidelines_version TEXT NOT NULL,
    consented_at TEXT NOT NULL,
    paused_until TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX volunteers_status ON volunteers (status);

CREATE TABLE platform_accounts (
    platform TEXT NOT NULL,
    user_id TEXT NOT NULL,
    volunteer_id INTEGER NOT NULL REFERENCES volunteers (id) ON DELETE CASCADE,
    handle TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (platform, user_id)
);
CREATE INDEX platform_accounts_volunteer ON platform_accounts (volunteer_id);

CREATE TABLE signup_drafts (
    platform TEXT NOT NULL,
    user_id TEXT NOT NULL,
    handle TEXT NOT NULL DEFAULT '',
    answers TEXT NOT NULL,              -- JSON object
    started_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (platform, user_id)
);

CREATE TABLE facilities (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    address_lines TEXT NOT NULL,        -- JSON list
    jurisdiction TEXT NOT NULL DEFAULT '',
    mail_rules TEXT NOT NULL DEFAULT '',
    emessaging_service TEXT
);

CREATE TABLE penpals (
    id INTEGER PRIMARY KEY,
    committed_name TEXT NOT NULL,
    preferred_name TEXT NOT NULL,
    pronouns TEXT NOT NULL DEFAULT '',
    languages TEXT NOT NULL,
    interests TEXT NOT NULL,
    correspondence_kinds TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    writer_preference TEXT,
    release_date TEXT,
    waiting_since TEXT NOT NULL,
    status TEXT NOT NULL,
    address_verified_at TEXT
);
CREATE INDEX penpals_status ON penpals (status, waiting_since);

CREATE TABLE custody_records (
    id INTEGER PRIMARY KEY,
    penpal_id INTEGER NOT NULL REFERENCES penpals (id) ON DELETE CASCADE,
    facility_id INTEGER NOT NULL REFERENCES facilities (id),
    id_number TEXT NOT NULL,
    started_on TEXT NOT NULL,
    ended_on TEXT
);
CREATE INDEX custody_penpal ON custody_records (penpal_id);

CREATE TABLE matches (
    id INTEGER PRIMARY KEY,
    volunteer_id INTEGER REFERENCES volunteers (id) ON DELETE SET NULL,
    penpal_id INTEGER NOT NULL REFERENCES penpals (id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    proposed_at TEXT NOT NULL,
    confirmed_at TEXT,
    ended_at TEXT,
    end_reason TEXT
);
CREATE INDEX matches_volunteer ON matches (volunteer_id, status);
CREATE INDEX matches_penpal ON matches (penpal_id, status);

CREATE TABLE letters (
    id INTEGER PRIMARY KEY,
    match_id INTEGER NOT NULL REFERENCES matches (id) ON DELETE CASCADE,
    direction TEXT NOT NULL,
    dated TEXT NOT NULL,
    logged_by TEXT NOT NULL,
    logged_at TEXT NOT NULL
);
CREATE INDEX letters_match ON letters (match_id, dated);

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    target_kind TEXT NOT NULL,
    target_id TEXT NOT NULL,
    message_key TEXT NOT NULL,
    params TEXT NOT NULL,               -- JSON object
    buttons TEXT NOT NULL DEFAULT '[]', -- JSON list
    private INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'pending',
    due_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    claim_token TEXT,
    lease_until TEXT,
    last_error TEXT,
    created_at TEXT NOT NULL,
    sent_at TEXT
);
CREATE INDEX outbox_due ON outbox (status, due_at);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    at TEXT NOT NULL
);
