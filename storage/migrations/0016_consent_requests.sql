-- Volunteers asked to accept a new version of the program's guidelines: while a row is here,
-- she gets no new pen pals. The row goes when she accepts (or with her data).
CREATE TABLE consent_requests (
    volunteer_id INTEGER PRIMARY KEY REFERENCES volunteers(id),
    version TEXT NOT NULL,
    asked_at TEXT NOT NULL,
    reminded_at TEXT,
    escalated_at TEXT
);
