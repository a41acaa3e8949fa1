-- Erasure reaches every copy of what a volunteer typed. A notice that names a volunteer
-- carries her id: /forgetme drops it while it waits, and edits it once delivered, through the
-- platform message ids kept in `delivered`. An outbox row with `edit_parts` edits those
-- messages instead of sending a new one.
ALTER TABLE outbox ADD COLUMN about_volunteer INTEGER;
ALTER TABLE outbox ADD COLUMN edit_parts TEXT NOT NULL DEFAULT '[]';  -- JSON [[chat, message]]
CREATE INDEX outbox_about ON outbox (about_volunteer) WHERE about_volunteer IS NOT NULL;

CREATE TABLE delivered (
    id INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    about_volunteer INTEGER NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX delivered_about ON delivered (about_volunteer);
