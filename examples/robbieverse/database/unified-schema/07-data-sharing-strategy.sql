-- 07-data-sharing-strategy.sql — cross-town data sharing
CREATE TABLE data_sharing_rules (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    from_town UUID NOT NULL REFERENCES towns (id),
    to_town UUID NOT NULL REFERENCES towns (id),
    table_name TEXT NOT NULL
);

CREATE VIEW active_conversations AS
    SELECT id, user_id, title FROM conversations WHERE status = 'active';
