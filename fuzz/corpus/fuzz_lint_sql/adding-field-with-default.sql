-- adding-field-with-default: flagged
BEGIN;
SET lock_timeout = '2s';
SET statement_timeout = '5min';
ALTER TABLE accounts ADD COLUMN token uuid DEFAULT gen_random_uuid(); -- expect: adding-field-with-default
COMMIT;
