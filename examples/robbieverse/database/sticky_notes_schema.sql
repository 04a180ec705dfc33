-- sticky_notes_schema.sql — the sticky notes learning system
CREATE TABLE sticky_notes (
    id SERIAL PRIMARY KEY,
    user_id UUID NOT NULL,
    content TEXT NOT NULL,
    category TEXT,
    learned BOOLEAN NOT NULL DEFAULT false,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
