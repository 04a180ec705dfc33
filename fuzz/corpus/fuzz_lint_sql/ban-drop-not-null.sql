-- ban-drop-not-null: flagged
BEGIN;
SET lock_timeout = '2s';
SET statement_timeout = '5min';
ALTER TABLE users ALTER COLUMN email DROP NOT NULL; -- expect: ban-drop-not-null
COMMIT;
