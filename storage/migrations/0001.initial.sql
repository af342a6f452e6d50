-- The case database: captures, their documents, pages and fields, an append-only event log,
-- API tokens (hashed) and the audit log of document reads.

CREATE TABLE captures (
    id              uuid PRIMARY KEY,
    sha256          text NOT NULL UNIQUE CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    drop_folder     text NOT NULL,
    original_name   text NOT NULL,
    source_path     text,
    source_mtime_ns bigint,
    size_bytes      bigint NOT NULL CHECK (size_bytes >= 0),
    media_type      text,
    received_at     timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    status          text NOT NULL DEFAULT 'received'
                    CHECK (status IN ('received', 'processing', 'archived', 'needs_review', 'failed')),
    original_key    text NOT NULL,
    searchable_key  text,
    searchable_sha256 text,
    ocr_key         text,
    ocr_sha256      text,
    reasons         text[] NOT NULL DEFAULT '{}',
    error           text,
    attempts        integer NOT NULL DEFAULT 0
);
CREATE INDEX captures_unfinished ON captures (received_at) WHERE status IN ('received', 'processing');

CREATE TABLE documents (
    id              uuid PRIMARY KEY,
    capture_id      uuid NOT NULL REFERENCES captures (id),
    position        integer NOT NULL,
    document_type   text NOT NULL,
    type_confidence real NOT NULL,
    verdict         text NOT NULL CHECK (verdict IN ('accepted', 'needs_review')),
    reasons         jsonb NOT NULL DEFAULT '[]',
    page_numbers    integer[] NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (capture_id, position)
);
CREATE INDEX documents_created ON documents (created_at, id);

CREATE TABLE pages (
    capture_id      uuid NOT NULL REFERENCES captures (id),
    number          integer NOT NULL,
    document_id     uuid REFERENCES documents (id),
    width           integer NOT NULL,
    height          integer NOT NULL,
    dpi             integer,
    rotation        integer,
    skew_degrees    real,
    blank           boolean,
    ocr_confidence  real,
    languages       text,
    text            text NOT NULL,
    PRIMARY KEY (capture_id, number)
);

CREATE TABLE fields (
    id              bigserial PRIMARY KEY,
    document_id     uuid NOT NULL REFERENCES documents (id),
    name            text NOT NULL,
    value           text NOT NULL,
    page            integer,
    role            text,
    UNIQUE (document_id, name, value)
);
CREATE INDEX fields_lookup ON fields (name, value);

CREATE TABLE events (
    id              bigserial PRIMARY KEY,
    capture_id      uuid REFERENCES captures (id),
    at              timestamptz NOT NULL DEFAULT now(),
    kind            text NOT NULL,
    detail          jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX events_capture ON events (capture_id, id);

CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'events is append-only';
END
$$;
CREATE TRIGGER events_no_change BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_append_only();

CREATE TABLE api_tokens (
    id              bigserial PRIMARY KEY,
    name            text NOT NULL UNIQUE,
    token_sha256    text NOT NULL UNIQUE,
    created_at      timestamptz NOT NULL DEFAULT now(),
    revoked_at      timestamptz
);

CREATE TABLE audit_log (
    id              bigserial PRIMARY KEY,
    at              timestamptz NOT NULL DEFAULT now(),
    token_name      text NOT NULL,
    document_id     uuid,
    route           text NOT NULL,
    action          text NOT NULL
);
CREATE INDEX audit_document ON audit_log (document_id, at);
