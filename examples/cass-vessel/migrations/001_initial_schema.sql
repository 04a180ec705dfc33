-- migrate:up
-- dbsage diff (sqlite): 41 changes


-- create_table main.daemons
CREATE TABLE daemons (
    id TEXT,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    kernel_version TEXT,
    status TEXT DEFAULT 'active',
    PRIMARY KEY (id)
);

-- create_table main.users
CREATE TABLE users (
    id TEXT,
    display_name TEXT NOT NULL,
    relationship TEXT,
    background_json TEXT,
    communication_json TEXT,
    preferences_json TEXT,
    password_hash TEXT,
    is_admin INTEGER DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (id)
);

-- create_table main.calendar_events
CREATE TABLE calendar_events (
    id TEXT,
    daemon_id TEXT NOT NULL,
    user_id TEXT,
    title TEXT NOT NULL,
    description TEXT,
    start_time TEXT NOT NULL,
    end_time TEXT,
    all_day INTEGER DEFAULT 0,
    recurrence_json TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (daemon_id) REFERENCES daemons (id),
    FOREIGN KEY (user_id) REFERENCES users (id)
);

-- create_table main.cognitive_snapshots
CREATE TABLE cognitive_snapshots (
    id TEXT,
    daemon_id TEXT NOT NULL,
    period_start TEXT,
    period_end TEXT,
    metrics_json TEXT,
    timestamp TEXT NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (daemon_id) REFERENCES daemons (id)
);

-- create_table main.projects
CREATE TABLE projects (
    id TEXT,
    daemon_id TEXT NOT NULL,
    user_id TEXT,
    name TEXT NOT NULL,
    working_directory TEXT,
    description TEXT,
    github_repo TEXT,
    github_token TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (daemon_id) REFERENCES daemons (id),
    FOREIGN KEY (user_id) REFERENCES users (id)
);

-- create_table main.conversations
CREATE TABLE conversations (
    id TEXT,
    daemon_id TEXT NOT NULL,
    user_id TEXT,
    project_id TEXT,
    title TEXT,
    working_summary TEXT,
    last_summary_timestamp TEXT,
    messages_since_last_summary INTEGER DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (daemon_id) REFERENCES daemons (id),
    FOREIGN KEY (project_id) REFERENCES projects (id),
    FOREIGN KEY (user_id) REFERENCES users (id)
);

-- create_table main.daemon_profiles
CREATE TABLE daemon_profiles (
    daemon_id TEXT,
    identity_statements_json TEXT,
    values_json TEXT,
    communication_patterns_json TEXT,
    capabilities_json TEXT,
    limitations_json TEXT,
    open_questions_json TEXT,
    notes TEXT,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (daemon_id),
    FOREIGN KEY (daemon_id) REFERENCES daemons (id)
);

-- create_table main.development_logs
CREATE TABLE development_logs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    daemon_id TEXT NOT NULL,
    date TEXT NOT NULL,
    growth_indicators_json TEXT,
    pattern_shifts_json TEXT,
    qualitative_changes_json TEXT,
    summary TEXT,
    conversation_count INTEGER,
    observation_count INTEGER,
    opinion_count INTEGER,
    milestone_ids_json TEXT,
    FOREIGN KEY (daemon_id) REFERENCES daemons (id)
);

-- create_table main.dreams
CREATE TABLE dreams (
    id TEXT,
    daemon_id TEXT NOT NULL,
    date TEXT NOT NULL,
    exchanges_json TEXT NOT NULL,
    seeds_json TEXT,
    metadata_json TEXT,
    integration_status TEXT DEFAULT 'pending',
    created_at TEXT NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (daemon_id) REFERENCES daemons (id)
);

-- create_table main.goals
CREATE TABLE goals (
    id TEXT,
    daemon_id TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT,
    goal_type TEXT,
    status TEXT DEFAULT 'active',
    parent_id TEXT,
    progress_json TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT,
    PRIMARY KEY (id),
    FOREIGN KEY (daemon_id) REFERENCES daemons (id),
    FOREIGN KEY (parent_id) REFERENCES goals (id)
);

-- create_table main.growth_edges
CREATE TABLE growth_edges (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    daemon_id TEXT NOT NULL,
    area TEXT NOT NULL,
    current_state TEXT,
    desired_state TEXT,
    observations_json TEXT,
    strategies_json TEXT,
    first_noticed TEXT,
    last_updated TEXT,
    FOREIGN KEY (daemon_id) REFERENCES daemons (id)
);

-- create_table main.journals
CREATE TABLE journals (
    id TEXT,
    daemon_id TEXT NOT NULL,
    date TEXT NOT NULL,
    content TEXT NOT NULL,
    themes_json TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (daemon_id) REFERENCES daemons (id)
);

-- create_table main.messages
CREATE TABLE messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id TEXT NOT NULL,
    role TEXT NOT NULL,
    content TEXT NOT NULL,
    timestamp TEXT NOT NULL,
    excluded INTEGER DEFAULT 0,
    user_id TEXT,
    provider TEXT,
    model TEXT,
    input_tokens INTEGER,
    output_tokens INTEGER,
    animations_json TEXT,
    self_observations_json TEXT,
    user_observations_json TEXT,
    marks_json TEXT,
    narration_metrics_json TEXT,
    FOREIGN KEY (conversation_id) REFERENCES conversations (id),
    FOREIGN KEY (user_id) REFERENCES users (id)
);

-- create_table main.milestones
CREATE TABLE milestones (
    id TEXT,
    daemon_id TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT,
    significance TEXT,
    evidence_json TEXT,
    triggered_at TEXT NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (daemon_id) REFERENCES daemons (id)
);

-- create_table main.opinions
CREATE TABLE opinions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    daemon_id TEXT NOT NULL,
    topic TEXT NOT NULL,
    position TEXT NOT NULL,
    confidence REAL,
    rationale TEXT,
    formed_from TEXT,
    evolution_json TEXT,
    date_formed TEXT,
    last_updated TEXT,
    FOREIGN KEY (daemon_id) REFERENCES daemons (id)
);

-- create_table main.project_documents
CREATE TABLE project_documents (
    id TEXT,
    project_id TEXT NOT NULL,
    title TEXT NOT NULL,
    content TEXT NOT NULL,
    created_by TEXT,
    embedded INTEGER DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (project_id) REFERENCES projects (id)
);

-- create_table main.project_files
CREATE TABLE project_files (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id TEXT NOT NULL,
    path TEXT NOT NULL,
    description TEXT,
    embedded INTEGER DEFAULT 0,
    added_at TEXT NOT NULL,
    FOREIGN KEY (project_id) REFERENCES projects (id)
);

-- create_table main.research_queue
CREATE TABLE research_queue (
    id TEXT,
    daemon_id TEXT NOT NULL,
    task_type TEXT NOT NULL,
    target TEXT NOT NULL,
    context TEXT,
    priority REAL,
    status TEXT DEFAULT 'queued',
    rationale_json TEXT,
    source_page TEXT,
    created_at TEXT NOT NULL,
    completed_at TEXT,
    PRIMARY KEY (id),
    FOREIGN KEY (daemon_id) REFERENCES daemons (id)
);

-- create_table main.research_sessions
CREATE TABLE research_sessions (
    id TEXT,
    daemon_id TEXT NOT NULL,
    topic TEXT NOT NULL,
    status TEXT DEFAULT 'active',
    notes_json TEXT,
    findings_json TEXT,
    sources_json TEXT,
    created_at TEXT NOT NULL,
    completed_at TEXT,
    PRIMARY KEY (id),
    FOREIGN KEY (daemon_id) REFERENCES daemons (id)
);

-- create_table main.rhythm_phases
CREATE TABLE rhythm_phases (
    id TEXT,
    daemon_id TEXT NOT NULL,
    name TEXT NOT NULL,
    activity_type TEXT NOT NULL,
    start_time TEXT NOT NULL,
    end_time TEXT NOT NULL,
    description TEXT,
    days_json TEXT,
    PRIMARY KEY (id),
    FOREIGN KEY (daemon_id) REFERENCES daemons (id)
);

-- create_table main.rhythm_records
CREATE TABLE rhythm_records (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    daemon_id TEXT NOT NULL,
    date TEXT NOT NULL,
    phase_id TEXT NOT NULL,
    status TEXT DEFAULT 'pending',
    started_at TEXT,
    completed_at TEXT,
    notes TEXT,
    FOREIGN KEY (daemon_id) REFERENCES daemons (id),
    FOREIGN KEY (phase_id) REFERENCES rhythm_phases (id)
);

-- create_table main.roadmap_items
CREATE TABLE roadmap_items (
    id TEXT,
    daemon_id TEXT NOT NULL,
    project_id TEXT,
    title TEXT NOT NULL,
    description TEXT,
    status TEXT DEFAULT 'backlog',
    priority TEXT DEFAULT 'P2',
    item_type TEXT DEFAULT 'feature',
    assigned_to TEXT,
    source_conversation_id TEXT,
    tags_json TEXT,
    created_by TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (daemon_id) REFERENCES daemons (id),
    FOREIGN KEY (project_id) REFERENCES projects (id),
    FOREIGN KEY (source_conversation_id) REFERENCES conversations (id)
);

-- create_table main.roadmap_links
CREATE TABLE roadmap_links (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    source_id TEXT NOT NULL,
    target_id TEXT NOT NULL,
    link_type TEXT NOT NULL,
    FOREIGN KEY (source_id) REFERENCES roadmap_items (id),
    FOREIGN KEY (target_id) REFERENCES roadmap_items (id)
);

-- create_table main.self_observations
CREATE TABLE self_observations (
    id TEXT,
    daemon_id TEXT NOT NULL,
    category TEXT NOT NULL,
    observation TEXT NOT NULL,
    confidence REAL,
    context_json TEXT,
    source_conversation_id TEXT,
    source_journal_date TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (daemon_id) REFERENCES daemons (id),
    FOREIGN KEY (source_conversation_id) REFERENCES conversations (id)
);

-- create_table main.solo_reflections
CREATE TABLE solo_reflections (
    id TEXT,
    daemon_id TEXT NOT NULL,
    title TEXT,
    content TEXT NOT NULL,
    insights_json TEXT,
    themes_json TEXT,
    duration_minutes INTEGER,
    created_at TEXT NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (daemon_id) REFERENCES daemons (id)
);

-- create_table main.tasks
CREATE TABLE tasks (
    id TEXT,
    daemon_id TEXT NOT NULL,
    user_id TEXT,
    title TEXT NOT NULL,
    description TEXT,
    status TEXT DEFAULT 'pending',
    priority TEXT,
    due_date TEXT,
    tags_json TEXT,
    created_at TEXT NOT NULL,
    completed_at TEXT,
    PRIMARY KEY (id),
    FOREIGN KEY (daemon_id) REFERENCES daemons (id),
    FOREIGN KEY (user_id) REFERENCES users (id)
);

-- create_table main.token_usage
CREATE TABLE token_usage (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    daemon_id TEXT NOT NULL,
    date TEXT NOT NULL,
    provider TEXT NOT NULL,
    model TEXT NOT NULL,
    input_tokens INTEGER DEFAULT 0,
    output_tokens INTEGER DEFAULT 0,
    cost_usd REAL DEFAULT 0,
    FOREIGN KEY (daemon_id) REFERENCES daemons (id)
);

-- create_table main.user_growth_edges
CREATE TABLE user_growth_edges (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    daemon_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    area TEXT NOT NULL,
    current_state TEXT,
    desired_state TEXT,
    observations_json TEXT,
    first_noticed TEXT,
    last_updated TEXT,
    FOREIGN KEY (daemon_id) REFERENCES daemons (id),
    FOREIGN KEY (user_id) REFERENCES users (id)
);

-- create_table main.user_observations
CREATE TABLE user_observations (
    id TEXT,
    daemon_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    observation_type TEXT NOT NULL,
    content_json TEXT NOT NULL,
    confidence REAL,
    created_at TEXT NOT NULL,
    updated_at TEXT,
    PRIMARY KEY (id),
    FOREIGN KEY (daemon_id) REFERENCES daemons (id),
    FOREIGN KEY (user_id) REFERENCES users (id)
);

-- create_table main.wiki_pages
CREATE TABLE wiki_pages (
    id TEXT,
    daemon_id TEXT NOT NULL,
    category TEXT NOT NULL,
    title TEXT NOT NULL,
    content TEXT NOT NULL,
    frontmatter_json TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (daemon_id) REFERENCES daemons (id)
);

-- create_index main.development_logs.idx_dev_logs_date
CREATE INDEX idx_dev_logs_date ON development_logs (daemon_id, date);

-- create_index main.dreams.idx_dreams_date
CREATE INDEX idx_dreams_date ON dreams (daemon_id, date);

-- create_index main.journals.idx_journals_date
CREATE INDEX idx_journals_date ON journals (daemon_id, date);

-- create_index main.messages.idx_messages_conversation
CREATE INDEX idx_messages_conversation ON messages (conversation_id);

-- create_index main.messages.idx_messages_timestamp
CREATE INDEX idx_messages_timestamp ON messages (timestamp);

-- create_index main.rhythm_records.idx_rhythm_date
CREATE INDEX idx_rhythm_date ON rhythm_records (daemon_id, date);

-- create_index main.roadmap_items.idx_roadmap_status
CREATE INDEX idx_roadmap_status ON roadmap_items (daemon_id, status);

-- create_index main.self_observations.idx_self_obs_category
CREATE INDEX idx_self_obs_category ON self_observations (daemon_id, category);

-- create_index main.token_usage.idx_usage_date
CREATE INDEX idx_usage_date ON token_usage (daemon_id, date);

-- create_index main.user_observations.idx_user_obs
CREATE INDEX idx_user_obs ON user_observations (daemon_id, user_id);

-- create_index main.wiki_pages.idx_wiki_category
CREATE INDEX idx_wiki_category ON wiki_pages (daemon_id, category);


-- migrate:down
-- dbsage diff (sqlite): 30 changes


-- drop_table main.wiki_pages
-- hazard: destructive
DROP TABLE wiki_pages;

-- drop_table main.user_observations
-- hazard: destructive
DROP TABLE user_observations;

-- drop_table main.user_growth_edges
-- hazard: destructive
DROP TABLE user_growth_edges;

-- drop_table main.token_usage
-- hazard: destructive
DROP TABLE token_usage;

-- drop_table main.tasks
-- hazard: destructive
DROP TABLE tasks;

-- drop_table main.solo_reflections
-- hazard: destructive
DROP TABLE solo_reflections;

-- drop_table main.self_observations
-- hazard: destructive
DROP TABLE self_observations;

-- drop_table main.roadmap_links
-- hazard: destructive
DROP TABLE roadmap_links;

-- drop_table main.roadmap_items
-- hazard: destructive
DROP TABLE roadmap_items;

-- drop_table main.rhythm_records
-- hazard: destructive
DROP TABLE rhythm_records;

-- drop_table main.rhythm_phases
-- hazard: destructive
DROP TABLE rhythm_phases;

-- drop_table main.research_sessions
-- hazard: destructive
DROP TABLE research_sessions;

-- drop_table main.research_queue
-- hazard: destructive
DROP TABLE research_queue;

-- drop_table main.project_files
-- hazard: destructive
DROP TABLE project_files;

-- drop_table main.project_documents
-- hazard: destructive
DROP TABLE project_documents;

-- drop_table main.opinions
-- hazard: destructive
DROP TABLE opinions;

-- drop_table main.milestones
-- hazard: destructive
DROP TABLE milestones;

-- drop_table main.messages
-- hazard: destructive
DROP TABLE messages;

-- drop_table main.journals
-- hazard: destructive
DROP TABLE journals;

-- drop_table main.growth_edges
-- hazard: destructive
DROP TABLE growth_edges;

-- drop_table main.goals
-- hazard: destructive
DROP TABLE goals;

-- drop_table main.dreams
-- hazard: destructive
DROP TABLE dreams;

-- drop_table main.development_logs
-- hazard: destructive
DROP TABLE development_logs;

-- drop_table main.daemon_profiles
-- hazard: destructive
DROP TABLE daemon_profiles;

-- drop_table main.conversations
-- hazard: destructive
DROP TABLE conversations;

-- drop_table main.projects
-- hazard: destructive
DROP TABLE projects;

-- drop_table main.cognitive_snapshots
-- hazard: destructive
DROP TABLE cognitive_snapshots;

-- drop_table main.calendar_events
-- hazard: destructive
DROP TABLE calendar_events;

-- drop_table main.users
-- hazard: destructive
DROP TABLE users;

-- drop_table main.daemons
-- hazard: destructive
DROP TABLE daemons;

