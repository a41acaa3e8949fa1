-- The reminder sweep looks only at matches whose next possible reminder has come: the policy
-- stores that moment after each look, and any change to a match (a letter, a snooze) clears it.
-- '' (sorts before every timestamp) means "look at it on the next sweep".
ALTER TABLE matches ADD COLUMN next_check_at TEXT NOT NULL DEFAULT '';
CREATE INDEX matches_next_check ON matches (status, next_check_at);
