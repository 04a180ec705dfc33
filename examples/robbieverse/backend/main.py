"""Robbie backend entry point (the schema it creates at start-up lives in SCHEMA_SQL)."""
import os

import psycopg2

DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql://allan@localhost/aurora")

SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS sticky_notes (
    id SERIAL PRIMARY KEY,
    user_id UUID NOT NULL,
    content TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
"""

GREETING = "Hello from Robbie"


def init_db():
    with psycopg2.connect(DATABASE_URL) as conn:
        conn.cursor().execute(SCHEMA_SQL)
        conn.cursor().execute("SELECT count(*) FROM sticky_notes")
