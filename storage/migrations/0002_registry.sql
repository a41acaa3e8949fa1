-- The registry: one facility per name, one open custody record per facility and ID number;
-- matching runs (the seed is kept so a run can be reproduced); volunteers' matching answers.
CREATE UNIQUE INDEX facilities_name ON facilities (name);
CREATE UNIQUE INDEX custody_open ON custody_records (facility_id, id_number) WHERE ended_on IS NULL;

ALTER TABLE volunteers ADD COLUMN kinds TEXT NOT NULL DEFAULT '[]';
ALTER TABLE volunteers ADD COLUMN woman_writer INTEGER;  -- NULL: not asked

CREATE TABLE matching_runs (
    id INTEGER PRIMARY KEY,
    seed INTEGER NOT NULL,
    actor TEXT NOT NULL,
    created_at TEXT NOT NULL,
    proposals INTEGER NOT NULL DEFAULT 0
);

ALTER TABLE matches ADD COLUMN run_id INTEGER REFERENCES matching_runs (id);
ALTER TABLE matches ADD COLUMN score REAL;
