-- The program's training quiz (issue 20): a volunteer's tries at the quiz of one version of the
-- guidelines. `answers`: the choices of the try in progress (JSON list of indices), in
-- `language`. `first_score`/`score` of `total`: right answers at the first and the latest try.
CREATE TABLE quiz_results (
    volunteer_id INTEGER PRIMARY KEY REFERENCES volunteers(id) ON DELETE CASCADE,
    version TEXT NOT NULL,
    language TEXT NOT NULL,
    answers TEXT NOT NULL DEFAULT '[]',
    tries INTEGER NOT NULL DEFAULT 0,
    first_score INTEGER,
    score INTEGER,
    total INTEGER NOT NULL,
    passed_at TEXT
);
