-- 03-vectors-rag.sql — knowledge base for retrieval
CREATE TABLE knowledge_base (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    title TEXT NOT NULL,
    source_url TEXT
);

CREATE TABLE document_chunks (
    id BIGSERIAL PRIMARY KEY,
    document_id UUID NOT NULL REFERENCES knowledge_base (id) ON DELETE CASCADE,
    content TEXT NOT NULL,
    embedding REAL[]
);
