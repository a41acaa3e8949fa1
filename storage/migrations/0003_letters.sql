-- Letters and reminders (issue 4): each reminder fires once per cycle and snooze round; the
-- volunteer's snoozes; an index that finds a match's last letter each way without a scan.
CREATE INDEX letters_rhythm ON letters (match_id, direction, dated, id);

CREATE TABLE reminders (
    id INTEGER PRIMARY KEY,
    match_id INTEGER NOT NULL REFERENCES matches (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    cycle TEXT NOT NULL,                -- 'match', 'in:<letter id>', 'out:<letter id>', ...
    round INTEGER NOT NULL DEFAULT 0,   -- how many snoozes came before it
    due_at TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (match_id, kind, cycle, round)
);

CREATE TABLE snoozes (
    id INTEGER PRIMARY KEY,
    match_id INTEGER NOT NULL REFERENCES matches (id) ON DELETE CASCADE,
    cycle TEXT NOT NULL,
    count INTEGER NOT NULL,
    until TEXT NOT NULL,
    UNIQUE (match_id, cycle)
);
