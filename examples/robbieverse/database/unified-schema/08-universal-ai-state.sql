-- 08-universal-ai-state.sql — network-wide AI personality state
CREATE TABLE ai_personalities (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    name TEXT NOT NULL UNIQUE
);

CREATE TABLE ai_personality_state (
    personality_id UUID PRIMARY KEY REFERENCES ai_personalities (id),
    current_mood TEXT NOT NULL DEFAULT 'focused',
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE FUNCTION calculate_mood(p_attraction INTEGER) RETURNS TEXT
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN p_attraction >= 9 THEN 'blushing' WHEN p_attraction > 6 THEN 'playful' ELSE 'focused' END
$$;
