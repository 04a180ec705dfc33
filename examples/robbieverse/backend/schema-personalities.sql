-- backend/schema-personalities.sql — the personality system
CREATE TABLE personality_categories (
    id SERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    description TEXT
);

CREATE TABLE personalities (
    id SERIAL PRIMARY KEY,
    category_id INTEGER NOT NULL REFERENCES personality_categories (id),
    name TEXT NOT NULL UNIQUE,
    description TEXT,
    active BOOLEAN NOT NULL DEFAULT true
);

CREATE TABLE moods (
    id SERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    description TEXT
);

CREATE TABLE prompts (
    id SERIAL PRIMARY KEY,
    personality_id INTEGER NOT NULL REFERENCES personalities (id),
    mood_id INTEGER REFERENCES moods (id),
    body TEXT NOT NULL,
    auto_generated BOOLEAN NOT NULL DEFAULT false,
    active BOOLEAN NOT NULL DEFAULT true
);

CREATE TABLE prompt_optimizations (
    id SERIAL PRIMARY KEY,
    prompt_id INTEGER NOT NULL REFERENCES prompts (id),
    old_body TEXT NOT NULL,
    new_body TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE dungeon_master_reviews (
    id SERIAL PRIMARY KEY,
    optimization_id INTEGER NOT NULL REFERENCES prompt_optimizations (id),
    verdict TEXT NOT NULL,
    reviewed_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE personality_instances (
    id SERIAL PRIMARY KEY,
    user_id UUID NOT NULL,
    personality_id INTEGER NOT NULL REFERENCES personalities (id),
    settings JSONB NOT NULL DEFAULT '{}'
);

CREATE FUNCTION get_active_prompt(p_personality INTEGER) RETURNS TEXT
LANGUAGE sql STABLE AS $$
    SELECT body FROM prompts WHERE personality_id = p_personality AND active ORDER BY id DESC LIMIT 1
$$;

CREATE FUNCTION calculate_mood(p_attraction INTEGER) RETURNS TEXT
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN p_attraction > 7 THEN 'playful' ELSE 'focused' END
$$;
