"""Read-only audit queries of the case database: was each capture registered once?

An auditor's questions (how many documents, pages and final events each capture has),
asked by the chaos check after its run; nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass

from psycopg.rows import class_row

from storage.captures import FINAL
from storage.db import Database


@dataclass(frozen=True)
class CaptureAudit:
    """One capture with the counts that show whether it was registered once."""

    id: str
    sha256: str
    status: str
    original_key: str
    searchable_key: str | None
    searchable_sha256: str | None
    ocr_key: str | None
    ocr_sha256: str | None
    documents: int
    pages: int
    final_events: int  # events whose kind is a final status: one, once it is final
    duplicate_events: int  # one per later drop of the same bytes
    registered_documents: int | None  # what the last register event said it wrote
    registered_pages: int | None


_AUDIT = """
SELECT c.id::text AS id, c.sha256, c.status, c.original_key, c.searchable_key,
       c.searchable_sha256, c.ocr_key, c.ocr_sha256,
       (SELECT count(*) FROM documents d WHERE d.capture_id = c.id)::int AS documents,
       (SELECT count(*) FROM pages p WHERE p.capture_id = c.id)::int AS pages,
       (SELECT count(*) FROM events e
         WHERE e.capture_id = c.id AND e.kind = ANY(%(final)s))::int AS final_events,
       (SELECT count(*) FROM events e
         WHERE e.capture_id = c.id AND e.kind = 'duplicate')::int AS duplicate_events,
       r.documents AS registered_documents, r.pages AS registered_pages
  FROM captures c
  LEFT JOIN LATERAL (
       SELECT (e.detail->>'documents')::int AS documents, (e.detail->>'pages')::int AS pages
         FROM events e
        WHERE e.capture_id = c.id AND e.kind IN ('archived', 'needs_review')
        ORDER BY e.id DESC LIMIT 1) r ON true
 ORDER BY c.received_at, c.id
"""


def audit_captures(db: Database) -> list[CaptureAudit]:
    """Every capture with its counts, oldest first."""
    with db.transaction() as conn, conn.cursor(row_factory=class_row(CaptureAudit)) as cur:
        cur.execute(_AUDIT, {"final": list(FINAL)})
        return cur.fetchall()


def status_counts(db: Database) -> dict[str, int]:
    """How many captures are in each status."""
    with db.transaction() as conn:
        rows = conn.execute("SELECT status, count(*)::int FROM captures GROUP BY status")
        return {str(status): int(count) for status, count in rows.fetchall()}
