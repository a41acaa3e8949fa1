-- When each of the bot's loops last completed (the reminder sweep, the outbox dispatch), so
-- that `penpal-bot status` and /healthz can tell a stalled bot from a quiet one.
CREATE TABLE heartbeats (
    name TEXT PRIMARY KEY,
    at TEXT NOT NULL
);
