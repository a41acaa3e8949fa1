-- Returned mail and the address check (issue 20).
-- A facility's inmate locator: the page where coordinators check that a woman is still there.
ALTER TABLE facilities ADD COLUMN locator_url TEXT NOT NULL DEFAULT '';
-- Since when a pen pal's address is in doubt (a letter came back, or a long silence): while set,
-- her volunteers get no reminders to write to her. `address_check_after`: a coordinator could
-- not tell yet and will be asked again on that day.
ALTER TABLE penpals ADD COLUMN address_unconfirmed_at TEXT;
ALTER TABLE penpals ADD COLUMN address_check_after TEXT;
-- Letters that came back, each against the custody record (the address) it was sent to.
CREATE TABLE returned_letters (
    id INTEGER PRIMARY KEY,
    match_id INTEGER NOT NULL REFERENCES matches(id),
    custody_id INTEGER REFERENCES custody_records(id),
    reason TEXT NOT NULL,
    dated TEXT NOT NULL,
    logged_by TEXT NOT NULL,
    logged_at TEXT NOT NULL
);
CREATE INDEX returned_letters_match ON returned_letters (match_id);
