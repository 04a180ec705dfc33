-- migrate:up
-- Natural keys of the tables whose primary key is a surrogate (AUTOINCREMENT /
-- identity): `dbsage import` upserts on them (INSERT ... ON CONFLICT (key) DO
-- UPDATE, examples/cass-vessel/dbsage.yaml), so a re-run updates rows instead of
-- duplicating them.  The seed's tables and columns are unchanged.
CREATE UNIQUE INDEX uq_messages_key ON messages (conversation_id, timestamp, role);
CREATE UNIQUE INDEX uq_project_files_key ON project_files (project_id, path);
CREATE UNIQUE INDEX uq_growth_edges_key ON growth_edges (daemon_id, area);
CREATE UNIQUE INDEX uq_opinions_key ON opinions (daemon_id, topic);
CREATE UNIQUE INDEX uq_development_logs_key ON development_logs (daemon_id, date);
CREATE UNIQUE INDEX uq_user_growth_edges_key ON user_growth_edges (daemon_id, user_id, area);
CREATE UNIQUE INDEX uq_roadmap_links_key ON roadmap_links (source_id, target_id, link_type);
CREATE UNIQUE INDEX uq_rhythm_records_key ON rhythm_records (daemon_id, date, phase_id);
CREATE UNIQUE INDEX uq_token_usage_key ON token_usage (daemon_id, date, provider, model);

-- migrate:down
DROP INDEX uq_token_usage_key;
DROP INDEX uq_rhythm_records_key;
DROP INDEX uq_roadmap_links_key;
DROP INDEX uq_user_growth_edges_key;
DROP INDEX uq_development_logs_key;
DROP INDEX uq_opinions_key;
DROP INDEX uq_growth_edges_key;
DROP INDEX uq_project_files_key;
DROP INDEX uq_messages_key;
