-- ban-alter-domain-with-add-constraint: flagged
ALTER DOMAIN positive_int ADD CONSTRAINT positive CHECK (VALUE > 0); -- expect: ban-alter-domain-with-add-constraint
