-- After a restart the dispatcher looks up what was sent in the last seconds, so that its first
-- messages keep Telegram's gap per chat (only sent rows are in this index).
CREATE INDEX outbox_sent ON outbox (sent_at) WHERE sent_at IS NOT NULL;
