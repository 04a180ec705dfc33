-- head; comment
/* block; /* nested; */ */
CREATE TABLE a (x int);
CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;
DO $x$ BEGIN PERFORM 1; END $x$;
 -- tail
