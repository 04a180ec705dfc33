-- 004_message_index.sql (same number as 004_conversation_tags.sql: a collision)
CREATE INDEX messages_conversation_idx ON messages (conversation_id, created_at);
