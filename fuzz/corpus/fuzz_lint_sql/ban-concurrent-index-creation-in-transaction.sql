-- ban-concurrent-index-creation-in-transaction: flagged
BEGIN;
CREATE INDEX CONCURRENTLY IF NOT EXISTS users_email_idx ON users (email); -- expect: ban-concurrent-index-creation-in-transaction
COMMIT;
