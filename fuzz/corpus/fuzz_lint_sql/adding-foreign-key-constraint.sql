-- adding-foreign-key-constraint: flagged
BEGIN;
SET lock_timeout = '2s';
SET statement_timeout = '5min';
ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id); -- expect: adding-foreign-key-constraint, constraint-missing-not-valid
COMMIT;
