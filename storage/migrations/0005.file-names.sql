-- File names as the file system has them: bytes, which need not be UTF-8.  The text columns
-- (ledger.name, captures.original_name) keep a readable form: the name itself when it is
-- UTF-8, else the name with each byte that is not shown as \xNN; the name's own bytes are
-- then kept beside it (name_bytes, original_name_bytes; NULL when the text is the name).
-- Rows for the same file are told apart by those bytes too, so that a name that reads
-- "\xff.pdf" and a name holding the byte 0xff are two files.
-- A refused file's row says where it was moved (kept_as, relative to its drop folder, with
-- kept_as_bytes when that is not UTF-8); a refused row without it stayed where it was (a
-- sub-folder) or was written before this migration.  A sub-folder has no size nor mtime:
-- it gets one row, however often it is seen.
-- depends: 0003.ledger

ALTER TABLE ledger
    ADD COLUMN name_bytes       bytea,
    ADD COLUMN kept_as          text,
    ADD COLUMN kept_as_bytes    bytea,
    ADD CONSTRAINT ledger_kept_when_rejected CHECK (kept_as IS NULL OR outcome = 'rejected'),
    ADD CONSTRAINT ledger_kept_bytes_have_text
        CHECK (kept_as_bytes IS NULL OR kept_as IS NOT NULL);

ALTER TABLE captures ADD COLUMN original_name_bytes bytea;

DROP INDEX ledger_one_duplicate;
CREATE UNIQUE INDEX ledger_one_duplicate
    ON ledger (folder, name, coalesce(name_bytes, ''::bytea), size_bytes, mtime_ns, sha256)
    WHERE outcome = 'duplicate';

DROP INDEX ledger_one_rejection;
CREATE UNIQUE INDEX ledger_one_rejection
    ON ledger (folder, name, coalesce(name_bytes, ''::bytea), coalesce(size_bytes, -1),
               coalesce(mtime_ns, -1))
    WHERE outcome = 'rejected';
