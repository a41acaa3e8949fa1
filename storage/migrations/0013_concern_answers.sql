-- What the coordinators answered a volunteer about her concern, through the bot: a JSON list of
-- {"at": ISO time, "by": actor label, "text": ...}, oldest first. Sent to her privately; erased
-- with what she wrote when she erases her data.
ALTER TABLE concerns ADD COLUMN answers TEXT NOT NULL DEFAULT '[]';
