CREATE FUNCTION add(a integer, b integer) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT a + b $$;
CREATE OR REPLACE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END
$fn$;
CREATE TABLE doc (id int PRIMARY KEY, owner text, updated_at timestamptz);
CREATE TRIGGER doc_touch BEFORE INSERT OR UPDATE ON doc FOR EACH ROW EXECUTE FUNCTION touch();
ALTER TABLE doc ENABLE ROW LEVEL SECURITY;
CREATE POLICY own ON doc FOR SELECT TO app_reader USING (owner = current_user);
GRANT SELECT, INSERT ON doc TO app_writer;
CREATE PROCEDURE p(INOUT x int) LANGUAGE plpgsql AS $$ BEGIN x := x + 1; END $$;
DROP TABLE IF EXISTS nothing;
