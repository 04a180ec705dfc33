-- adding-serial-primary-key-field: flagged
BEGIN;
SET lock_timeout = '2s';
SET statement_timeout = '5min';
ALTER TABLE events ADD PRIMARY KEY (id); -- expect: adding-serial-primary-key-field
COMMIT;
