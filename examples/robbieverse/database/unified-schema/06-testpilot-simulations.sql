-- 06-testpilot-simulations.sql — AI testing framework
CREATE TABLE simulations (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    scenario TEXT NOT NULL,
    result JSONB,
    ran_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
