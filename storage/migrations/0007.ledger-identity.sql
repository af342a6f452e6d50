-- Which file a refusal was about.  Two files can share a folder, a name, a size and an mtime
-- (shares keep coarse timestamps; a file is dropped again after the first was refused), and
-- each must get a row of its own; the same file decided twice (a crash between its row and
-- its move) must still get one.  A refused file's row keeps the device and inode the file had
-- when the watcher found it: decided again, it is the same inode (still in the folder, and
-- perhaps linked into rejected/ under the row's kept_as too), while another file has another
-- inode, for the first one still lies in rejected/.  The inode is part of the identity; the
-- device is kept beside it and is not, since a drop folder's files all lie on its file
-- system, whose device number can change when it is mounted again (NFS, device mapper).
-- Both are unsigned 64-bit numbers, hence numeric.  Rows from before this migration and the
-- rows of sub-folders (one for good, whatever their inode) have neither.
-- depends: 0006.roles

ALTER TABLE ledger
    ADD COLUMN device   numeric(20, 0) CHECK (device >= 0),
    ADD COLUMN inode    numeric(20, 0) CHECK (inode >= 0),
    ADD CONSTRAINT ledger_device_with_inode CHECK ((device IS NULL) = (inode IS NULL));

DROP INDEX ledger_one_rejection;
CREATE UNIQUE INDEX ledger_one_rejection
    ON ledger (folder, name, coalesce(name_bytes, ''::bytea), coalesce(size_bytes, -1),
               coalesce(mtime_ns, -1), coalesce(inode, -1))
    WHERE outcome = 'rejected';
