-- backstage.sqlite.sql — examples/backstage-cogito/backstage.sql written for
-- SQLite (no schemas: one client's tables in main), for compare.sh: every
-- table must come out identical to its PostgreSQL original.
CREATE TABLE participant_roles (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name VARCHAR(50) NOT NULL UNIQUE
);
CREATE TABLE participants (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    email TEXT NOT NULL UNIQUE,
    password TEXT,
    role_id INTEGER REFERENCES participant_roles(id),
    is_active BOOLEAN NOT NULL DEFAULT 1,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE llm_types (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE);
CREATE TABLE llms (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    llm_type_id INTEGER NOT NULL REFERENCES llm_types(id),
    model TEXT NOT NULL,
    temperature REAL DEFAULT 0.7,
    max_tokens INTEGER DEFAULT 1024,
    created_at DATETIME DEFAULT (datetime('now'))
);
CREATE TABLE group_types (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE);
CREATE TABLE turn_kinds (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE);
CREATE TABLE message_types (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE);
CREATE TABLE session (sid TEXT NOT NULL PRIMARY KEY, sess JSON NOT NULL, expire DATETIME NOT NULL);
CREATE TABLE groups (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    group_type_id INTEGER REFERENCES group_types(id),
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE topic_paths (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    group_id INTEGER NOT NULL REFERENCES groups(id),
    path TEXT NOT NULL UNIQUE,
    name TEXT,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME
);
CREATE TABLE grp_topic_avatar_turns (
    id INTEGER PRIMARY KEY,
    topic_path_id INTEGER NOT NULL REFERENCES topic_paths(id),
    participant_id INTEGER REFERENCES participants(id),
    llm_id INTEGER REFERENCES llms(id),
    turn_kind_id INTEGER REFERENCES turn_kinds(id),
    message_type_id INTEGER REFERENCES message_types(id),
    content TEXT NOT NULL,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE file_uploads (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    participant_id INTEGER REFERENCES participants(id),
    filename TEXT NOT NULL,
    mime_type TEXT,
    size_bytes INTEGER,
    storage_path TEXT NOT NULL,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE file_upload_vectors (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    file_upload_id INTEGER NOT NULL REFERENCES file_uploads(id),
    chunk_index INTEGER NOT NULL,
    content_text TEXT NOT NULL,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP
);
