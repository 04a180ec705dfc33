-- test_schema.sql — fixture for the API tests
CREATE TEMPORARY TABLE test_users (
    id SERIAL PRIMARY KEY,
    email TEXT NOT NULL
);
INSERT INTO test_users (email) VALUES ('robbie@example.com');
