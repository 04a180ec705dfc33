"""Learns from sticky notes; creates its table when missing."""
import psycopg2

CREATE_NOTES = '''
    CREATE TABLE IF NOT EXISTS sticky_notes (
        id SERIAL PRIMARY KEY,
        user_id UUID NOT NULL,
        content TEXT NOT NULL,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now()
    )
'''


class StickyNotesLearningService:
    def __init__(self, conn):
        self.conn = conn
        self.conn.cursor().execute(CREATE_NOTES)

    def learn(self, note_id):
        cur = self.conn.cursor()
        cur.execute("SELECT content FROM sticky_notes WHERE id = %s", (note_id,))
        return cur.fetchone()
