-- backstage.sql — a Backstage-shaped PostgreSQL schema (the A side of
-- `dbsage compare`, see README.md here): global users and reference data in
-- public, one schema per client (client_dev, client_bsa) holding that
-- client's groups, topic paths, conversation turns and uploaded files.

CREATE TABLE participant_roles (
    id serial PRIMARY KEY,
    name varchar(50) NOT NULL UNIQUE
);

CREATE TABLE participants (
    id serial PRIMARY KEY,
    name varchar(100) NOT NULL,
    email varchar(255) NOT NULL UNIQUE,
    password text,
    role_id integer REFERENCES participant_roles(id),
    is_active boolean NOT NULL DEFAULT true,
    created_at timestamp DEFAULT now()
);

CREATE TABLE llm_types (
    id serial PRIMARY KEY,
    name varchar(50) NOT NULL UNIQUE
);

CREATE TABLE llms (
    id serial PRIMARY KEY,
    name varchar(100) NOT NULL,
    llm_type_id integer NOT NULL REFERENCES llm_types(id),
    model varchar(100) NOT NULL,
    temperature real DEFAULT 0.7,
    max_tokens integer DEFAULT 1024,
    created_at timestamp DEFAULT now()
);

CREATE TABLE group_types (
    id serial PRIMARY KEY,
    name varchar(50) NOT NULL UNIQUE
);

CREATE TABLE turn_kinds (
    id serial PRIMARY KEY,
    name varchar(50) NOT NULL UNIQUE
);

CREATE TABLE message_types (
    id serial PRIMARY KEY,
    name varchar(50) NOT NULL UNIQUE
);

CREATE TABLE session (
    sid varchar NOT NULL PRIMARY KEY,
    sess json NOT NULL,
    expire timestamp(6) NOT NULL
);

-- one schema per client; client_bsa is a copy of client_dev
CREATE SCHEMA client_dev;

CREATE TABLE client_dev.groups (
    id serial PRIMARY KEY,
    name varchar(100) NOT NULL,
    group_type_id integer REFERENCES public.group_types(id),
    created_at timestamp DEFAULT now()
);

CREATE TABLE client_dev.topic_paths (
    id serial PRIMARY KEY,
    group_id integer NOT NULL REFERENCES client_dev.groups(id),
    path text NOT NULL UNIQUE,
    name varchar(255),
    created_at timestamp DEFAULT now(),
    updated_at timestamp
);

CREATE TABLE client_dev.grp_topic_avatar_turns (
    id bigserial PRIMARY KEY,
    topic_path_id integer NOT NULL REFERENCES client_dev.topic_paths(id),
    participant_id integer REFERENCES public.participants(id),
    llm_id integer REFERENCES public.llms(id),
    turn_kind_id integer REFERENCES public.turn_kinds(id),
    message_type_id integer REFERENCES public.message_types(id),
    content text NOT NULL,
    created_at timestamp DEFAULT now()
);

CREATE TABLE client_dev.file_uploads (
    id serial PRIMARY KEY,
    participant_id integer REFERENCES public.participants(id),
    filename varchar(255) NOT NULL,
    mime_type varchar(100),
    size_bytes integer,
    storage_path text NOT NULL,
    created_at timestamp DEFAULT now()
);

CREATE TABLE client_dev.file_upload_vectors (
    id serial PRIMARY KEY,
    file_upload_id integer NOT NULL REFERENCES client_dev.file_uploads(id),
    chunk_index integer NOT NULL,
    content_text text NOT NULL,
    created_at timestamp DEFAULT now()
);

CREATE SCHEMA client_bsa;

CREATE TABLE client_bsa.groups (
    id serial PRIMARY KEY,
    name varchar(100) NOT NULL,
    group_type_id integer REFERENCES public.group_types(id),
    created_at timestamp DEFAULT now()
);

CREATE TABLE client_bsa.topic_paths (
    id serial PRIMARY KEY,
    group_id integer NOT NULL REFERENCES client_bsa.groups(id),
    path text NOT NULL UNIQUE,
    name varchar(255),
    created_at timestamp DEFAULT now(),
    updated_at timestamp
);

CREATE TABLE client_bsa.grp_topic_avatar_turns (
    id bigserial PRIMARY KEY,
    topic_path_id integer NOT NULL REFERENCES client_bsa.topic_paths(id),
    participant_id integer REFERENCES public.participants(id),
    llm_id integer REFERENCES public.llms(id),
    turn_kind_id integer REFERENCES public.turn_kinds(id),
    message_type_id integer REFERENCES public.message_types(id),
    content text NOT NULL,
    created_at timestamp DEFAULT now()
);

CREATE TABLE client_bsa.file_uploads (
    id serial PRIMARY KEY,
    participant_id integer REFERENCES public.participants(id),
    filename varchar(255) NOT NULL,
    mime_type varchar(100),
    size_bytes integer,
    storage_path text NOT NULL,
    created_at timestamp DEFAULT now()
);

CREATE TABLE client_bsa.file_upload_vectors (
    id serial PRIMARY KEY,
    file_upload_id integer NOT NULL REFERENCES client_bsa.file_uploads(id),
    chunk_index integer NOT NULL,
    content_text text NOT NULL,
    created_at timestamp DEFAULT now()
);
