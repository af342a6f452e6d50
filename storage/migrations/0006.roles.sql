-- The application's rights.  Migrations run as the database's owner; the watcher, workers
-- and API connect as a login role that is a member of intake_application (storage.roles
-- makes it), so a fault or an injected statement in them cannot change the schema, drop
-- the append-only triggers, or rewrite the audit log, the ledger or the events: those
-- three take INSERT and SELECT only, the tokens SELECT only.  TRUNCATE, which fires no row
-- trigger, is never given, nor temporary tables.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'intake_application') THEN
        CREATE ROLE intake_application NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
    END IF;
END
$$;

REVOKE CREATE ON SCHEMA public FROM PUBLIC;
-- No temporary tables either: one named audit_log would take the real one's place for the
-- rest of that connection's life, and the audit would go nowhere.
DO $$
BEGIN
    EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
END
$$;
GRANT USAGE ON SCHEMA public TO intake_application;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO intake_application;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO intake_application;
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log, events, ledger FROM intake_application;
-- Tokens are made by `intake token create` as the owner; the API only looks them up, so a
-- fault in it cannot mint a token or bring a revoked one back.
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON api_tokens FROM intake_application;

-- yoyo's own bookkeeping (_yoyo_migration, _yoyo_log, _yoyo_version, yoyo_lock) is the
-- migrations' business alone.
DO $$
DECLARE
    bookkeeping text;
BEGIN
    FOR bookkeeping IN
        SELECT tablename FROM pg_tables
        WHERE schemaname = 'public' AND tablename LIKE '%yoyo%'
    LOOP
        EXECUTE format('REVOKE ALL ON %I FROM intake_application', bookkeeping);
    END LOOP;
END
$$;

-- Tables of later migrations get the same rights; one that must stay append-only revokes
-- UPDATE and DELETE itself, as above.
ALTER DEFAULT PRIVILEGES IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO intake_application;
ALTER DEFAULT PRIVILEGES IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO intake_application;
