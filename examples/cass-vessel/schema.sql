-- cass-vessel: SQLite schema of the cass-vessel daemon database
-- (from the "JSON to SQLite" migration plan).  Foreign keys may reference
-- tables defined later (conversations -> projects); SQLite allows that.
-- Apply with: sqlite3 -bail cass.db < schema.sql
PRAGMA foreign_keys = ON;

-- Daemon identity (multi-daemon support)
CREATE TABLE daemons (
    id TEXT PRIMARY KEY,  -- UUID
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,  -- ISO8601
    kernel_version TEXT,
    status TEXT DEFAULT 'active'  -- active, dormant, archived
);

-- Users
CREATE TABLE users (
    id TEXT PRIMARY KEY,  -- UUID
    display_name TEXT NOT NULL,
    relationship TEXT,
    background_json TEXT,  -- JSON blob for flexible schema
    communication_json TEXT,
    preferences_json TEXT,
    password_hash TEXT,
    is_admin INTEGER DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Conversations
CREATE TABLE conversations (
    id TEXT PRIMARY KEY,  -- UUID
    daemon_id TEXT NOT NULL REFERENCES daemons(id),
    user_id TEXT REFERENCES users(id),
    project_id TEXT REFERENCES projects(id),
    title TEXT,
    working_summary TEXT,
    last_summary_timestamp TEXT,
    messages_since_last_summary INTEGER DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Messages (core chat content)
CREATE TABLE messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    role TEXT NOT NULL,  -- user, assistant, system
    content TEXT NOT NULL,
    timestamp TEXT NOT NULL,
    excluded INTEGER DEFAULT 0,
    user_id TEXT REFERENCES users(id),
    provider TEXT,  -- anthropic, openai, local
    model TEXT,
    input_tokens INTEGER,
    output_tokens INTEGER,
    animations_json TEXT,
    self_observations_json TEXT,
    user_observations_json TEXT,
    marks_json TEXT,
    narration_metrics_json TEXT
);
CREATE INDEX idx_messages_conversation ON messages(conversation_id);
CREATE INDEX idx_messages_timestamp ON messages(timestamp);

-- Projects
CREATE TABLE projects (
    id TEXT PRIMARY KEY,  -- UUID
    daemon_id TEXT NOT NULL REFERENCES daemons(id),
    user_id TEXT REFERENCES users(id),
    name TEXT NOT NULL,
    working_directory TEXT,
    description TEXT,
    github_repo TEXT,
    github_token TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Project files
CREATE TABLE project_files (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id TEXT NOT NULL REFERENCES projects(id),
    path TEXT NOT NULL,
    description TEXT,
    embedded INTEGER DEFAULT 0,
    added_at TEXT NOT NULL
);

-- Project documents
CREATE TABLE project_documents (
    id TEXT PRIMARY KEY,  -- UUID
    project_id TEXT NOT NULL REFERENCES projects(id),
    title TEXT NOT NULL,
    content TEXT NOT NULL,
    created_by TEXT,  -- cass, user
    embedded INTEGER DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Daemon self-profile (one per daemon)
CREATE TABLE daemon_profiles (
    daemon_id TEXT PRIMARY KEY REFERENCES daemons(id),
    identity_statements_json TEXT,  -- JSON array
    values_json TEXT,
    communication_patterns_json TEXT,
    capabilities_json TEXT,
    limitations_json TEXT,
    open_questions_json TEXT,
    notes TEXT,
    updated_at TEXT NOT NULL
);

-- Growth edges
CREATE TABLE growth_edges (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    daemon_id TEXT NOT NULL REFERENCES daemons(id),
    area TEXT NOT NULL,
    current_state TEXT,
    desired_state TEXT,
    observations_json TEXT,  -- JSON array
    strategies_json TEXT,
    first_noticed TEXT,
    last_updated TEXT
);

-- Opinions
CREATE TABLE opinions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    daemon_id TEXT NOT NULL REFERENCES daemons(id),
    topic TEXT NOT NULL,
    position TEXT NOT NULL,
    confidence REAL,
    rationale TEXT,
    formed_from TEXT,
    evolution_json TEXT,
    date_formed TEXT,
    last_updated TEXT
);

-- Cognitive snapshots
CREATE TABLE cognitive_snapshots (
    id TEXT PRIMARY KEY,  -- UUID
    daemon_id TEXT NOT NULL REFERENCES daemons(id),
    period_start TEXT,
    period_end TEXT,
    metrics_json TEXT,  -- All the numeric metrics
    timestamp TEXT NOT NULL
);

-- Milestones
CREATE TABLE milestones (
    id TEXT PRIMARY KEY,  -- UUID
    daemon_id TEXT NOT NULL REFERENCES daemons(id),
    title TEXT NOT NULL,
    description TEXT,
    significance TEXT,
    evidence_json TEXT,
    triggered_at TEXT NOT NULL
);

-- Development logs
CREATE TABLE development_logs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    daemon_id TEXT NOT NULL REFERENCES daemons(id),
    date TEXT NOT NULL,
    growth_indicators_json TEXT,
    pattern_shifts_json TEXT,
    qualitative_changes_json TEXT,
    summary TEXT,
    conversation_count INTEGER,
    observation_count INTEGER,
    opinion_count INTEGER,
    milestone_ids_json TEXT
);
CREATE INDEX idx_dev_logs_date ON development_logs(daemon_id, date);

-- Self observations
CREATE TABLE self_observations (
    id TEXT PRIMARY KEY,  -- UUID
    daemon_id TEXT NOT NULL REFERENCES daemons(id),
    category TEXT NOT NULL,
    observation TEXT NOT NULL,
    confidence REAL,
    context_json TEXT,
    source_conversation_id TEXT REFERENCES conversations(id),
    source_journal_date TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX idx_self_obs_category ON self_observations(daemon_id, category);

-- User observations (from daemon about user)
CREATE TABLE user_observations (
    id TEXT PRIMARY KEY,
    daemon_id TEXT NOT NULL REFERENCES daemons(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    observation_type TEXT NOT NULL,  -- identity, contradiction, growth, moment
    content_json TEXT NOT NULL,  -- Flexible schema per type
    confidence REAL,
    created_at TEXT NOT NULL,
    updated_at TEXT
);
CREATE INDEX idx_user_obs ON user_observations(daemon_id, user_id);

-- User growth edges
CREATE TABLE user_growth_edges (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    daemon_id TEXT NOT NULL REFERENCES daemons(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    area TEXT NOT NULL,
    current_state TEXT,
    desired_state TEXT,
    observations_json TEXT,
    first_noticed TEXT,
    last_updated TEXT
);

-- Journals (daily reflections by daemon)
CREATE TABLE journals (
    id TEXT PRIMARY KEY,  -- date string
    daemon_id TEXT NOT NULL REFERENCES daemons(id),
    date TEXT NOT NULL,
    content TEXT NOT NULL,
    themes_json TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX idx_journals_date ON journals(daemon_id, date);

-- Dreams
CREATE TABLE dreams (
    id TEXT PRIMARY KEY,  -- timestamp string
    daemon_id TEXT NOT NULL REFERENCES daemons(id),
    date TEXT NOT NULL,
    exchanges_json TEXT NOT NULL,  -- JSON array of exchanges
    seeds_json TEXT,  -- Growth edges, questions used as seeds
    metadata_json TEXT,
    integration_status TEXT DEFAULT 'pending',
    created_at TEXT NOT NULL
);
CREATE INDEX idx_dreams_date ON dreams(daemon_id, date);

-- Solo reflections
CREATE TABLE solo_reflections (
    id TEXT PRIMARY KEY,  -- UUID
    daemon_id TEXT NOT NULL REFERENCES daemons(id),
    title TEXT,
    content TEXT NOT NULL,
    insights_json TEXT,
    themes_json TEXT,
    duration_minutes INTEGER,
    created_at TEXT NOT NULL
);

-- Research sessions
CREATE TABLE research_sessions (
    id TEXT PRIMARY KEY,  -- UUID
    daemon_id TEXT NOT NULL REFERENCES daemons(id),
    topic TEXT NOT NULL,
    status TEXT DEFAULT 'active',
    notes_json TEXT,
    findings_json TEXT,
    sources_json TEXT,
    created_at TEXT NOT NULL,
    completed_at TEXT
);

-- Research queue
CREATE TABLE research_queue (
    id TEXT PRIMARY KEY,
    daemon_id TEXT NOT NULL REFERENCES daemons(id),
    task_type TEXT NOT NULL,  -- red_link, topic, synthesis
    target TEXT NOT NULL,
    context TEXT,
    priority REAL,
    status TEXT DEFAULT 'queued',
    rationale_json TEXT,
    source_page TEXT,
    created_at TEXT NOT NULL,
    completed_at TEXT
);

-- Wiki pages
CREATE TABLE wiki_pages (
    id TEXT PRIMARY KEY,  -- slug
    daemon_id TEXT NOT NULL REFERENCES daemons(id),
    category TEXT NOT NULL,  -- concept, entity, relationship, meta, journal
    title TEXT NOT NULL,
    content TEXT NOT NULL,  -- Markdown
    frontmatter_json TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX idx_wiki_category ON wiki_pages(daemon_id, category);

-- Goals
CREATE TABLE goals (
    id TEXT PRIMARY KEY,
    daemon_id TEXT NOT NULL REFERENCES daemons(id),
    title TEXT NOT NULL,
    description TEXT,
    goal_type TEXT,  -- initiative, question, milestone
    status TEXT DEFAULT 'active',
    parent_id TEXT REFERENCES goals(id),
    progress_json TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT
);

-- Roadmap items
CREATE TABLE roadmap_items (
    id TEXT PRIMARY KEY,  -- short hex
    daemon_id TEXT NOT NULL REFERENCES daemons(id),
    project_id TEXT REFERENCES projects(id),
    title TEXT NOT NULL,
    description TEXT,
    status TEXT DEFAULT 'backlog',
    priority TEXT DEFAULT 'P2',
    item_type TEXT DEFAULT 'feature',
    assigned_to TEXT,
    source_conversation_id TEXT REFERENCES conversations(id),
    tags_json TEXT,
    created_by TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX idx_roadmap_status ON roadmap_items(daemon_id, status);

-- Roadmap links
CREATE TABLE roadmap_links (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    source_id TEXT NOT NULL REFERENCES roadmap_items(id),
    target_id TEXT NOT NULL REFERENCES roadmap_items(id),
    link_type TEXT NOT NULL  -- related, depends_on, blocks, parent, child
);

-- Calendar events
CREATE TABLE calendar_events (
    id TEXT PRIMARY KEY,
    daemon_id TEXT NOT NULL REFERENCES daemons(id),
    user_id TEXT REFERENCES users(id),
    title TEXT NOT NULL,
    description TEXT,
    start_time TEXT NOT NULL,
    end_time TEXT,
    all_day INTEGER DEFAULT 0,
    recurrence_json TEXT,
    created_at TEXT NOT NULL
);

-- Tasks
CREATE TABLE tasks (
    id TEXT PRIMARY KEY,
    daemon_id TEXT NOT NULL REFERENCES daemons(id),
    user_id TEXT REFERENCES users(id),
    title TEXT NOT NULL,
    description TEXT,
    status TEXT DEFAULT 'pending',
    priority TEXT,
    due_date TEXT,
    tags_json TEXT,
    created_at TEXT NOT NULL,
    completed_at TEXT
);

-- Daily rhythm phases
CREATE TABLE rhythm_phases (
    id TEXT PRIMARY KEY,
    daemon_id TEXT NOT NULL REFERENCES daemons(id),
    name TEXT NOT NULL,
    activity_type TEXT NOT NULL,
    start_time TEXT NOT NULL,  -- HH:MM
    end_time TEXT NOT NULL,
    description TEXT,
    days_json TEXT  -- JSON array of weekday numbers
);

-- Rhythm records
CREATE TABLE rhythm_records (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    daemon_id TEXT NOT NULL REFERENCES daemons(id),
    date TEXT NOT NULL,
    phase_id TEXT NOT NULL REFERENCES rhythm_phases(id),
    status TEXT DEFAULT 'pending',  -- pending, active, completed, skipped
    started_at TEXT,
    completed_at TEXT,
    notes TEXT
);
CREATE INDEX idx_rhythm_date ON rhythm_records(daemon_id, date);

-- Token usage
CREATE TABLE token_usage (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    daemon_id TEXT NOT NULL REFERENCES daemons(id),
    date TEXT NOT NULL,
    provider TEXT NOT NULL,
    model TEXT NOT NULL,
    input_tokens INTEGER DEFAULT 0,
    output_tokens INTEGER DEFAULT 0,
    cost_usd REAL DEFAULT 0
);
CREATE INDEX idx_usage_date ON token_usage(daemon_id, date);
