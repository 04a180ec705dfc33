-- 006_deals.sql (there is no 005)
CREATE TABLE companies (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    name TEXT NOT NULL,
    domain TEXT
);

CREATE TABLE deals (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    company_id UUID NOT NULL REFERENCES companies (id),
    stage TEXT NOT NULL DEFAULT 'lead',
    amount NUMERIC(12,2),
    closed_at TIMESTAMPTZ
);

ALTER TABLE users ADD COLUMN last_login_at TIMESTAMPTZ;
