-- Forwarding that protects the volunteer (issue 20).
-- A letter that passes through the program has two legs. For a letter from her, `dated` is the
-- day the program forwarded it to the volunteer (when it reached her: reminders count from it)
-- and `program_on` the day it reached the program's mailbox. For a letter to her, `dated` is
-- the day the volunteer wrote it or handed it in, and `program_on` the day the program posted
-- it to the prison. `state`: '' done; 'waiting' at the program (to forward, or to read first);
-- 'held' kept at the program with `note`; 'returned' given back to the volunteer to rewrite.
ALTER TABLE letters ADD COLUMN program_on TEXT;
ALTER TABLE letters ADD COLUMN state TEXT NOT NULL DEFAULT '';
ALTER TABLE letters ADD COLUMN note TEXT NOT NULL DEFAULT '';
CREATE INDEX letters_at_program ON letters (state) WHERE state <> '';
-- After an address in doubt is settled (confirmed, a transfer), her volunteers' reminders count
-- from that day, not from letters written before it.
ALTER TABLE penpals ADD COLUMN reminders_from TEXT;
-- In forwarding programs the name a volunteer signs her letters with (the woman writes back to
-- it at the program's address); '' means her sign-up name.
ALTER TABLE volunteers ADD COLUMN pen_name TEXT NOT NULL DEFAULT '';
-- The reminder search reads a match's last letter each way that counts (by its state) from the
-- index alone.
DROP INDEX letters_rhythm;
CREATE INDEX letters_rhythm ON letters (match_id, direction, dated, id, state);
