-- Writing circles (issue 22): a group of volunteers who write to a pen pal together. `status`:
-- 'pending' (its lead waits for a coordinator's approval), 'active', 'dissolved'. Members keep
-- their place in the rotation (`position`); one who left keeps her row with `left_at`.
CREATE TABLE circles (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    lead_id INTEGER NOT NULL REFERENCES volunteers(id),
    status TEXT NOT NULL,
    capacity INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);
CREATE TABLE circle_members (
    circle_id INTEGER NOT NULL REFERENCES circles(id),
    volunteer_id INTEGER NOT NULL REFERENCES volunteers(id),
    position INTEGER NOT NULL,
    joined_at TEXT NOT NULL,
    left_at TEXT,
    PRIMARY KEY (circle_id, volunteer_id)
);
CREATE INDEX circle_members_volunteer ON circle_members (volunteer_id);
CREATE TABLE circle_invites (
    id INTEGER PRIMARY KEY,
    circle_id INTEGER NOT NULL REFERENCES circles(id),
    volunteer_id INTEGER NOT NULL REFERENCES volunteers(id),
    created_at TEXT NOT NULL,
    answer TEXT,
    answered_at TEXT
);
