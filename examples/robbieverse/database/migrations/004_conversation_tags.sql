-- 004_conversation_tags.sql
ALTER TABLE conversations ADD COLUMN tags TEXT[] NOT NULL DEFAULT '{}';
