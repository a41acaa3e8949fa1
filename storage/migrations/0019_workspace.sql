-- The coordinators' web workspace (issue 21): one-time login links sent through the bot, the
-- sessions they open, and the key that signs the session cookie. Only hashes of the links and
-- of the session ids are kept.
CREATE TABLE web_links (
    token_hash TEXT PRIMARY KEY,
    platform TEXT NOT NULL,
    user_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);
CREATE TABLE web_sessions (
    id_hash TEXT PRIMARY KEY,
    platform TEXT NOT NULL,
    user_id TEXT NOT NULL,
    csrf TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX web_sessions_person ON web_sessions (platform, user_id);
CREATE TABLE web_key (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    key TEXT NOT NULL
);
CREATE INDEX audit_log_actor ON audit_log (actor, at);
CREATE INDEX audit_log_action ON audit_log (action, at);
-- Each letter from a pen pal (once it reached her volunteer) with the day it arrived and the day
-- her volunteer first answered it (NULL: not yet): the workspace's "replies on time".
CREATE VIEW replies AS
SELECT m.volunteer_id AS volunteer_id, l.dated AS arrived,
       (SELECT MIN(r.dated) FROM letters r WHERE r.match_id = l.match_id
          AND r.direction = 'to_penpal' AND r.state <> 'returned'
          AND (r.dated > l.dated OR (r.dated = l.dated AND r.id > l.id))) AS replied
FROM letters l JOIN matches m ON m.id = l.match_id
WHERE l.direction = 'from_penpal' AND l.state = '';
