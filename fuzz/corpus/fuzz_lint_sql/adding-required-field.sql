-- adding-required-field: flagged
BEGIN;
SET lock_timeout = '2s';
SET statement_timeout = '5min';
ALTER TABLE users ADD COLUMN tier text NOT NULL; -- expect: adding-required-field
COMMIT;
