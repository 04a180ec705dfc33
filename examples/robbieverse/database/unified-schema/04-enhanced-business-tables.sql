-- 04-enhanced-business-tables.sql — CRM
CREATE TABLE companies (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    name TEXT NOT NULL,
    domain TEXT
);

CREATE TABLE contacts (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    company_id UUID REFERENCES companies (id),
    email TEXT,
    full_name TEXT NOT NULL
);

CREATE TABLE deals (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    company_id UUID NOT NULL REFERENCES companies (id),
    stage TEXT NOT NULL DEFAULT 'lead',
    amount NUMERIC(12,2)
);
