-- Writing circles take pen pals (issue 22). A circle's match is an ordinary match with
-- `circle_id` set; its `volunteer_id` is the member whose turn it is to write (the reminders,
-- overdue and silence alerts follow her), and the turn moves on as letters are answered.
-- Circle matches count against the circle's capacity, not against a member's own.
ALTER TABLE matches ADD COLUMN circle_id INTEGER REFERENCES circles(id);
CREATE INDEX matches_circle ON matches (circle_id) WHERE circle_id IS NOT NULL;
-- Where the circle talks: a Discord channel or thread, or a Telegram group (coordination only).
ALTER TABLE circles ADD COLUMN place_platform TEXT;
ALTER TABLE circles ADD COLUMN place_id TEXT;
