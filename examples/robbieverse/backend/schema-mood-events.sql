-- backend/schema-mood-events.sql — audit trail of mood changes
CREATE TABLE mood_events (
    id BIGSERIAL PRIMARY KEY,
    personality_id INTEGER NOT NULL,
    old_mood TEXT,
    new_mood TEXT NOT NULL,
    explanation TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX mood_events_personality_idx ON mood_events (personality_id, created_at);
