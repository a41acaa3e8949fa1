-- When her volunteers and the coordinators were told that a pen pal's release is near (once per
-- release date: a changed date is told again).
ALTER TABLE penpals ADD COLUMN release_notified_for TEXT;
