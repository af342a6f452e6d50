-- Whether pen ink was found on a page: true where a signature was seen, false where a
-- signature label stands with no ink near it, NULL where nothing was looked for or the page
-- has no label and no ink was found.  The review desk shows it per page.
-- depends: 0007.ledger-identity

ALTER TABLE pages ADD COLUMN signed boolean;
