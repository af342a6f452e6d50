-- Where a capture came from (the office and scanner its drop folder is mapped to), and the
-- ledger: one row for every file the watcher decided about, saying what became of it.
-- A capture and its 'captured' row are written in one transaction (a deferred trigger makes
-- sure of it); a duplicate's row points at the capture it repeats; a refused file's row
-- gives the reason, and the file waits in its folder's rejected/.  Rows are never changed.
-- depends: 0002.type-corrections

ALTER TABLE captures ADD COLUMN office text, ADD COLUMN scanner text;

CREATE TABLE ledger (
    id              bigserial PRIMARY KEY,
    folder          text NOT NULL,
    name            text NOT NULL,
    size_bytes      bigint CHECK (size_bytes >= 0),
    mtime_ns        bigint,
    sha256          text CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    office          text,
    scanner         text,
    first_seen      timestamptz NOT NULL,
    decided_at      timestamptz NOT NULL DEFAULT now(),
    outcome         text NOT NULL CHECK (outcome IN ('captured', 'duplicate', 'rejected')),
    capture_id      uuid REFERENCES captures (id),
    reason          text,
    CHECK (CASE WHEN outcome = 'rejected' THEN reason IS NOT NULL AND capture_id IS NULL
                ELSE reason IS NULL AND capture_id IS NOT NULL AND sha256 IS NOT NULL END)
);
CREATE INDEX ledger_decided ON ledger (decided_at, id);
CREATE INDEX ledger_file ON ledger (folder, name);
CREATE UNIQUE INDEX ledger_one_capture ON ledger (capture_id) WHERE outcome = 'captured';
-- The same file decided twice (a crash between the row and its removal) gets one row.
CREATE UNIQUE INDEX ledger_one_duplicate ON ledger (folder, name, size_bytes, mtime_ns, sha256)
    WHERE outcome = 'duplicate';
CREATE UNIQUE INDEX ledger_one_rejection ON ledger (folder, name, size_bytes, mtime_ns)
    WHERE outcome = 'rejected';

-- What was decided before the ledger existed: every capture, and the duplicates its events
-- recorded (their mtime was not kept).
INSERT INTO ledger (folder, name, size_bytes, mtime_ns, sha256, first_seen, decided_at,
                    outcome, capture_id)
SELECT drop_folder, original_name, size_bytes, source_mtime_ns, sha256, received_at,
       received_at, 'captured', id
FROM captures;

INSERT INTO ledger (folder, name, size_bytes, sha256, first_seen, decided_at, outcome,
                    capture_id)
SELECT e.detail ->> 'folder', e.detail ->> 'original_name', c.size_bytes, c.sha256, e.at, e.at,
       'duplicate', c.id
FROM events e JOIN captures c ON c.id = e.capture_id
WHERE e.kind = 'duplicate' AND e.detail ? 'folder' AND e.detail ? 'original_name';

CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ledger is append-only';
END
$$;
CREATE TRIGGER ledger_no_change BEFORE UPDATE OR DELETE ON ledger
    FOR EACH ROW EXECUTE FUNCTION ledger_append_only();

CREATE FUNCTION captures_in_ledger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM ledger WHERE capture_id = NEW.id AND outcome = 'captured') THEN
        RAISE EXCEPTION 'capture % has no ledger row', NEW.id;
    END IF;
    RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER captures_have_a_ledger_row AFTER INSERT ON captures
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION captures_in_ledger();
