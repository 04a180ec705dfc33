CREATE SCHEMA app;
CREATE TABLE app.users (
    id bigserial PRIMARY KEY,
    email text NOT NULL UNIQUE,
    name varchar(80) DEFAULT 'anon',
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT email_at CHECK (email LIKE '%@%')
);
CREATE TABLE app.orders (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES app.users (id) ON DELETE CASCADE,
    total numeric(10,2) CHECK (total >= 0),
    tags text[],
    meta jsonb
);
CREATE INDEX orders_user_idx ON app.orders (user_id) WHERE total > 100;
CREATE UNIQUE INDEX ON app.users (lower(email));
ALTER TABLE app.orders ADD COLUMN note text;
COMMENT ON TABLE app.users IS 'people';
