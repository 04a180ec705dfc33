-- backend/schema.sql — the original Robbie memory system (basic)
CREATE TABLE conversations (
    id SERIAL PRIMARY KEY,
    "timestamp" TIMESTAMPTZ NOT NULL DEFAULT now(),
    user_message TEXT NOT NULL,
    robbie_response TEXT NOT NULL,
    mood TEXT,
    attraction_level INTEGER DEFAULT 3,
    gandhi_genghis_level INTEGER DEFAULT 5,
    embedding REAL[]
);

CREATE TABLE mood_history (
    id SERIAL PRIMARY KEY,
    mood TEXT NOT NULL,
    changed_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE current_mood (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    mood TEXT NOT NULL DEFAULT 'friendly',
    attraction_level INTEGER NOT NULL DEFAULT 3,
    gandhi_genghis_level INTEGER NOT NULL DEFAULT 5,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
