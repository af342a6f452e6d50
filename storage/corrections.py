"""Records staff's type corrections: applied to the document, kept for training."""

from __future__ import annotations

from dataclasses import dataclass

from psycopg.types.json import Jsonb

from storage.db import Database


@dataclass(frozen=True)
class Correction:
    """A corrected document's text (its pages in order) and the type staff gave it."""

    document_id: str
    document_type: str
    text: str


def correct_type(db: Database, document_id: str, document_type: str, *, by: str) -> str | None:
    """Give the document ``document_type``; returns the type it had, None if there is none.

    The correction, the new type (confidence 1: a person decided) and an event are written
    in one transaction.
    """
    with db.transaction() as conn:
        row = conn.execute(
            "SELECT document_type, capture_id FROM documents WHERE id = %s FOR UPDATE",
            (document_id,),
        ).fetchone()
        if row is None:
            return None
        previous, capture_id = str(row[0]), row[1]
        conn.execute(
            "INSERT INTO type_corrections (document_id, document_type, previous_type,"
            " corrected_by) VALUES (%s, %s, %s, %s)",
            (document_id, document_type, previous, by),
        )
        conn.execute(
            "UPDATE documents SET document_type = %s, type_confidence = 1.0 WHERE id = %s",
            (document_type, document_id),
        )
        conn.execute(
            "INSERT INTO events (capture_id, kind, detail) VALUES (%s, 'type_corrected', %s)",
            (
                capture_id,
                Jsonb({"document_id": document_id, "from": previous, "to": document_type}),
            ),
        )
    return previous


def corrections(db: Database) -> list[Correction]:
    """The newest correction of every corrected document, with the document's OCR text."""
    with db.transaction() as conn:
        rows = conn.execute(
            """
            SELECT DISTINCT ON (c.document_id) c.document_id, c.document_type,
                   (SELECT string_agg(p.text, E'\\n' ORDER BY p.number)
                      FROM pages p
                     WHERE p.capture_id = d.capture_id AND p.number = ANY(d.page_numbers))
              FROM type_corrections c JOIN documents d ON d.id = c.document_id
             ORDER BY c.document_id, c.id DESC
            """
        ).fetchall()
    return [Correction(str(r[0]), str(r[1]), str(r[2] or "")) for r in rows]
