-- Records staff's corrections of a document's type: the document takes the corrected type,
-- and `intake train` learns from every correction (the newest per document).
-- depends: 0001.initial

CREATE TABLE type_corrections (
    id              bigserial PRIMARY KEY,
    document_id     uuid NOT NULL REFERENCES documents (id),
    document_type   text NOT NULL,
    previous_type   text NOT NULL,
    corrected_by    text NOT NULL,
    corrected_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX type_corrections_document ON type_corrections (document_id, id);
