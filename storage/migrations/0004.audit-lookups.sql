-- Every lookup of the API is audited, whether it found anything or not: where the request
-- came from, what was answered, and what was searched for.  A list keeps its filters (the
-- person code, keyed-hashed or in full as the site chooses; the status) and the ids of the
-- documents it returned (none is an empty array); a read, download or correction keeps the
-- id it asked for, found or not.  Rows are never changed.
-- depends: 0003.ledger

ALTER TABLE audit_log
    ADD COLUMN client_addr      text,
    ADD COLUMN http_status      smallint CHECK (http_status BETWEEN 100 AND 599),
    ADD COLUMN person_code      text,
    ADD COLUMN person_code_form text CHECK (person_code_form IN ('hmac-sha256', 'full')),
    ADD COLUMN status_filter    text,
    ADD COLUMN returned_ids     uuid[],
    ADD CONSTRAINT audit_person_code_has_form
        CHECK ((person_code IS NULL) = (person_code_form IS NULL));

CREATE INDEX audit_person_code ON audit_log (person_code, at) WHERE person_code IS NOT NULL;
CREATE INDEX audit_returned ON audit_log USING gin (returned_ids);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
