-- The language each person reads the bot in, by platform account (volunteers, coordinators,
-- and people who have not signed up): from the platform's hint at first contact, or chosen
-- with /language (`chosen` = 1). Erased with her other account data by /forgetme.
CREATE TABLE languages (
    platform TEXT NOT NULL,
    user_id TEXT NOT NULL,
    language TEXT NOT NULL,
    chosen INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (platform, user_id)
);
