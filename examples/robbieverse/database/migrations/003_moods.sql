-- 003_moods.sql — a second, incompatible take on moods
CREATE TABLE moods (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    name VARCHAR(50) NOT NULL,
    intensity INTEGER NOT NULL DEFAULT 5
);
