-- 05-town-separation.sql — multi-tenant towns
CREATE TABLE towns (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    name TEXT NOT NULL UNIQUE
);

ALTER TABLE users ADD COLUMN town_id UUID REFERENCES towns (id);
