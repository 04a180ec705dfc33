CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN posint AS integer CHECK (VALUE > 0);
CREATE TYPE pair AS (a integer, b text);
CREATE SEQUENCE counter START 10 INCREMENT 5;
CREATE TABLE person (id serial PRIMARY KEY, current_mood mood, age posint);
CREATE VIEW happy_people (pid) AS SELECT id FROM person WHERE current_mood = 'happy';
CREATE MATERIALIZED VIEW mood_counts AS SELECT current_mood, count(*) FROM person GROUP BY 1;
CREATE EXTENSION IF NOT EXISTS pgcrypto;
