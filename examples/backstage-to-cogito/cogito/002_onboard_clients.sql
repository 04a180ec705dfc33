-- migrate:up
-- The three Backstage clients (schemas client_dev, client_bsa, client_acme).
INSERT INTO client_mgmt.clients (slug, name) VALUES ('dev', 'Development'), ('bsa', 'BSA'), ('acme', 'ACME Corp');

-- migrate:down
DELETE FROM client_mgmt.clients WHERE slug IN ('dev', 'bsa', 'acme');
