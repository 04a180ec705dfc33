-- ban-create-domain-with-constraint: flagged
CREATE DOMAIN positive_int AS bigint CHECK (VALUE > 0); -- expect: ban-create-domain-with-constraint
