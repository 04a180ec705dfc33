-- cogito.sql — a Cogito-shaped PostgreSQL schema (the B side of
-- `dbsage compare`, see README.md here): one database, schemas by
-- responsibility, tenants separated by client_id instead of by schema.

CREATE SCHEMA client_mgmt;
CREATE SCHEMA conversation;
CREATE SCHEMA files;
CREATE SCHEMA events;

CREATE TABLE client_mgmt.clients (
    id serial PRIMARY KEY,
    name varchar(100) NOT NULL,
    subdomain varchar(63) NOT NULL UNIQUE,
    created_at timestamptz DEFAULT now()
);

CREATE TABLE client_mgmt.users (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email varchar(255) NOT NULL UNIQUE,
    client_id integer NOT NULL REFERENCES client_mgmt.clients(id),
    password_hash text,
    metadata jsonb DEFAULT '{}',
    created_at timestamptz DEFAULT now()
);

CREATE TYPE conversation.participant_kind AS ENUM ('human', 'llm', 'system');

CREATE TABLE conversation.participants (
    id bigserial PRIMARY KEY,
    user_id uuid REFERENCES client_mgmt.users(id),
    name text NOT NULL,
    type conversation.participant_kind NOT NULL DEFAULT 'human',
    metadata jsonb DEFAULT '{}',
    is_active boolean DEFAULT true,
    created_at timestamptz DEFAULT now()
);

CREATE TABLE conversation.blocks (
    block_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text,
    block_type varchar(50) NOT NULL DEFAULT 'conversation',
    client_id integer NOT NULL REFERENCES client_mgmt.clients(id),
    metadata jsonb DEFAULT '{}',
    created_at timestamptz DEFAULT now(),
    updated_at timestamptz
);

CREATE TABLE conversation.turns (
    turn_id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    participant_id bigint REFERENCES conversation.participants(id),
    content text NOT NULL,
    source_type varchar(50),
    metadata jsonb DEFAULT '{}',
    created_at timestamptz DEFAULT now()
);

CREATE TABLE conversation.block_turns (
    block_id uuid NOT NULL REFERENCES conversation.blocks(block_id),
    turn_id uuid NOT NULL REFERENCES conversation.turns(turn_id),
    sequence_order integer NOT NULL,
    PRIMARY KEY (block_id, turn_id)
);

CREATE TABLE conversation.lens_prototypes (
    id serial PRIMARY KEY,
    name varchar(100) NOT NULL UNIQUE,
    prompt text NOT NULL,
    created_at timestamptz DEFAULT now()
);

CREATE TABLE conversation.block_lens_version (
    id serial PRIMARY KEY,
    block_id uuid NOT NULL REFERENCES conversation.blocks(block_id),
    lens_id integer NOT NULL REFERENCES conversation.lens_prototypes(id),
    result jsonb,
    created_at timestamptz DEFAULT now()
);

CREATE VIEW conversation.block_turn_counts AS
    SELECT b.block_id, count(bt.turn_id) AS turns
    FROM conversation.blocks b LEFT JOIN conversation.block_turns bt ON bt.block_id = b.block_id
    GROUP BY b.block_id;

CREATE TABLE files.file_uploads (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    client_id integer NOT NULL REFERENCES client_mgmt.clients(id),
    participant_id bigint REFERENCES conversation.participants(id),
    filename text NOT NULL,
    mime_type varchar(100),
    size_bytes bigint,
    storage_path text NOT NULL,
    created_at timestamptz DEFAULT now()
);

CREATE TABLE files.file_upload_vectors (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    file_upload_id uuid NOT NULL REFERENCES files.file_uploads(id),
    client_id integer NOT NULL REFERENCES client_mgmt.clients(id),
    chunk_index integer NOT NULL,
    content_text text NOT NULL,
    created_at timestamptz DEFAULT now()
);

CREATE TABLE events.event_log (
    id bigserial PRIMARY KEY,
    client_id integer REFERENCES client_mgmt.clients(id),
    event_type varchar(100) NOT NULL,
    payload jsonb,
    created_at timestamptz DEFAULT now()
);
