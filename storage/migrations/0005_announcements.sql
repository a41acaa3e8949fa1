-- Coordinators' announcements (issue 4): broadcasts with a preview and a confirm step,
-- recurring announcements, and a record of timed jobs done (so a restart never repeats one).
CREATE TABLE broadcasts (
    id INTEGER PRIMARY KEY,
    actor TEXT NOT NULL,
    audience TEXT NOT NULL,             -- all | overdue | telegram | discord
    text TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'draft',   -- draft | sent | cancelled
    recipients INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);

CREATE TABLE schedules (
    id INTEGER PRIMARY KEY,
    actor TEXT NOT NULL,
    day_of_week TEXT NOT NULL,          -- cron style: mon, tue, ..., or * for every day
    at_time TEXT NOT NULL,              -- HH:MM, local time in `timezone`
    timezone TEXT NOT NULL,
    audience TEXT NOT NULL,             -- a broadcast audience, or channel:<discord channel id>
    text TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);

CREATE TABLE jobs_done (
    name TEXT NOT NULL,                 -- digest, schedule:<id>
    run TEXT NOT NULL,                  -- which run: the day, or the fire time
    done_at TEXT NOT NULL,
    PRIMARY KEY (name, run)
);
