-- The reminder sweep decides in SQL what is due (storage/_due.py). It needs, per time zone in
-- use and per day (as a day number), the UTC instants of the local midnight (to know a moment's local date) and
-- of the end of quiet hours (when a reminder due that day may go out). Filled from zoneinfo
-- on demand; `zone_meta` remembers the end of quiet hours the mornings were computed for.
CREATE TABLE zone_days (
    zone TEXT NOT NULL,
    jd INTEGER NOT NULL,                -- the day: CAST(julianday(day) AS INTEGER)
    midnight TEXT NOT NULL,
    morning TEXT NOT NULL,
    PRIMARY KEY (zone, jd)
) WITHOUT ROWID;
CREATE INDEX zone_days_midnight ON zone_days (zone, midnight);
CREATE TABLE zone_meta (
    quiet_end TEXT NOT NULL
);
