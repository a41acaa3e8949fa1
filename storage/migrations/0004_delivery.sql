-- The delivery engine (issue 4): people the platforms refused for good (blocked the bot, closed
-- DMs). A refusal is reported to the coordinators once per person, not once per message.
CREATE TABLE unreachable (
    platform TEXT NOT NULL,
    target_id TEXT NOT NULL,
    reason TEXT NOT NULL,
    since TEXT NOT NULL,
    PRIMARY KEY (platform, target_id)
);
