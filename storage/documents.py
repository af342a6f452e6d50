"""Documents, pages and fields: registered in one transaction, queried by case systems."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from psycopg.rows import class_row
from psycopg.types.json import Jsonb

from storage.captures import add_event
from storage.db import Database


@dataclass(frozen=True)
class NewPage:
    """A page row to register."""

    number: int
    width: int
    height: int
    dpi: int | None
    rotation: int | None
    skew_degrees: float | None
    blank: bool | None
    signed: bool | None
    ocr_confidence: float | None
    languages: str | None
    text: str


@dataclass(frozen=True)
class NewField:
    """A field row to register."""

    name: str
    value: str
    page: int | None = None
    role: str | None = None


@dataclass(frozen=True)
class DocumentCore:
    """What a document row holds whether it is being written or read."""

    id: str
    position: int
    document_type: str
    type_confidence: float
    verdict: str
    reasons: list[dict[str, object]]
    page_numbers: list[int]


@dataclass(frozen=True)
class NewDocument(DocumentCore):
    """A document row to register, with its fields."""

    fields: tuple[NewField, ...] = ()


@dataclass(frozen=True)
class Outcome:
    """The end of processing a capture: its final status and the stored artefacts."""

    status: str
    reasons: list[str]
    media_type: str | None
    searchable_key: str | None = None
    searchable_sha256: str | None = None
    ocr_key: str | None = None
    ocr_sha256: str | None = None
    pages: tuple[NewPage, ...] = ()
    documents: tuple[NewDocument, ...] = field(default_factory=tuple)


def register(db: Database, capture_id: str, outcome: Outcome) -> bool:
    """Write documents, pages, fields, final status and an event in one transaction.

    Safe to repeat: a capture already in a final state is left as it is (returns False).
    """
    with db.transaction() as conn:
        row = conn.execute(
            "SELECT status FROM captures WHERE id = %s FOR UPDATE", (capture_id,)
        ).fetchone()
        if row is None or row[0] in ("archived", "needs_review", "failed"):
            return False
        for doc in outcome.documents:
            conn.execute(
                "INSERT INTO documents (id, capture_id, position, document_type, type_confidence,"
                " verdict, reasons, page_numbers) VALUES (%s,%s,%s,%s,%s,%s,%s,%s)"
                " ON CONFLICT (id) DO NOTHING",
                (
                    doc.id,
                    capture_id,
                    doc.position,
                    doc.document_type,
                    doc.type_confidence,
                    doc.verdict,
                    Jsonb(doc.reasons),
                    doc.page_numbers,
                ),
            )
            for f in doc.fields:
                conn.execute(
                    "INSERT INTO fields (document_id, name, value, page, role)"
                    " VALUES (%s,%s,%s,%s,%s) ON CONFLICT DO NOTHING",
                    (doc.id, f.name, f.value, f.page, f.role),
                )
        owner = {n: d.id for d in outcome.documents for n in d.page_numbers}
        for p in outcome.pages:
            conn.execute(
                "INSERT INTO pages (capture_id, number, document_id, width, height, dpi, rotation,"
                " skew_degrees, blank, signed, ocr_confidence, languages, text)"
                " VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s) ON CONFLICT DO NOTHING",
                (
                    capture_id,
                    p.number,
                    owner.get(p.number),
                    p.width,
                    p.height,
                    p.dpi,
                    p.rotation,
                    p.skew_degrees,
                    p.blank,
                    p.signed,
                    p.ocr_confidence,
                    p.languages,
                    p.text,
                ),
            )
        conn.execute(
            "UPDATE captures SET status = %s, reasons = %s, media_type = %s, searchable_key = %s,"
            " searchable_sha256 = %s, ocr_key = %s, ocr_sha256 = %s, error = NULL,"
            " updated_at = now() WHERE id = %s",
            (
                outcome.status,
                outcome.reasons,
                outcome.media_type,
                outcome.searchable_key,
                outcome.searchable_sha256,
                outcome.ocr_key,
                outcome.ocr_sha256,
                capture_id,
            ),
        )
        add_event(
            conn,
            capture_id,
            outcome.status,
            documents=len(outcome.documents),
            pages=len(outcome.pages),
            reasons=outcome.reasons,
        )
    return True


@dataclass(frozen=True)
class DocumentRow(DocumentCore):
    """A document as case systems see it."""

    capture_id: str
    created_at: datetime
    capture_status: str
    original_name: str
    drop_folder: str
    received_at: datetime
    sha256: str
    searchable_key: str | None
    ocr_key: str | None
    person_codes: list[str]


_SELECT = """
SELECT d.id::text, d.capture_id::text, d.position, d.document_type, d.type_confidence,
       d.verdict, d.reasons, d.page_numbers, d.created_at, c.status AS capture_status,
       c.original_name, c.drop_folder, c.received_at, c.sha256, c.searchable_key, c.ocr_key,
       COALESCE(ARRAY(SELECT f.value FROM fields f WHERE f.document_id = d.id
                      AND f.name = 'person_code' ORDER BY f.id), '{}') AS person_codes
FROM documents d JOIN captures c ON c.id = d.capture_id
"""


def list_documents(
    db: Database,
    *,
    person_code: str | None,
    status: str | None,
    after: tuple[datetime, str] | None,
    limit: int,
) -> list[DocumentRow]:
    """Documents oldest first, filtered, from the keyset position ``after``."""
    where: list[str] = []
    params: list[object] = []
    if person_code is not None:
        where.append(
            "EXISTS (SELECT 1 FROM fields f WHERE f.document_id = d.id"
            " AND f.name = 'person_code' AND f.value = %s)"
        )
        params.append(person_code)
    if status is not None:
        where.append("c.status = %s")
        params.append(status)
    if after is not None:
        where.append("(d.created_at, d.id) > (%s, %s::uuid)")
        params.extend(after)
    sql = _SELECT + (" WHERE " + " AND ".join(where) if where else "")
    sql += " ORDER BY d.created_at, d.id LIMIT %s"
    params.append(limit)
    with db.transaction() as conn, conn.cursor(row_factory=class_row(DocumentRow)) as cur:
        cur.execute(sql, params)
        return cur.fetchall()


def get_document(db: Database, document_id: str) -> DocumentRow | None:
    """One document by id."""
    with db.transaction() as conn, conn.cursor(row_factory=class_row(DocumentRow)) as cur:
        cur.execute(_SELECT + " WHERE d.id = %s::uuid", (document_id,))
        return cur.fetchone()


def page_texts(db: Database, capture_id: str, numbers: list[int]) -> list[tuple[int, str]]:
    """The OCR text of the given pages of a capture."""
    with db.transaction() as conn:
        rows = conn.execute(
            "SELECT number, text FROM pages WHERE capture_id = %s AND number = ANY(%s)"
            " ORDER BY number",
            (capture_id, numbers),
        ).fetchall()
    return [(int(r[0]), str(r[1])) for r in rows]
