"""``intake bench --family``: the corpus's families, parsed and built on the same documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.bench.command import options_from_args
from pipeline.bench.corpus import FAMILIES, build_corpus
from pipeline.bench.families import parse_families
from pipeline.cli import _parser


def test_the_default_family_is_the_scanner_model_alone() -> None:
    # Given the bench's command line without --family, When it is parsed
    options = options_from_args(_parser().parse_args(["bench"]))
    # Then the corpus is today's
    assert options.families == ("repo",)


def test_a_comma_list_of_families_is_taken_in_its_order() -> None:
    args = _parser().parse_args(["bench", "--family", "copy, mild,copy_heldout"])
    assert options_from_args(args).families == ("copy", "mild", "copy_heldout")


@pytest.mark.parametrize("text", ["fax", "mild,mild", "", ","])
def test_unknown_repeated_or_no_families_are_bad_usage(text: str) -> None:
    with pytest.raises(ValueError, match="--family"):
        parse_families(text)


def test_every_family_is_offered() -> None:
    assert FAMILIES == ("repo", "mild", "copy", "copy2", "copy_heldout")


def test_each_family_holds_the_same_documents_and_records_its_family(tmp_path: Path) -> None:
    pytest.importorskip("augraphy")
    # Given a corpus of one document in the scanner model and printed and scanned
    corpus = build_corpus(tmp_path, docs=1, seed=4, max_pages=1, families=("repo", "mild"))
    # Then it has that document once per family, indexed on, with the same content
    repo, mild = corpus.documents
    assert (repo.index, repo.family) == (0, "repo")
    assert (mild.index, mild.family) == (1, "mild")
    assert [p.truth.text for p in repo.pages if not p.truth.blank] == [
        p.truth.text for p in mild.pages if not p.truth.blank
    ]
    assert (repo.document_type, repo.language, repo.fmt) == (
        mild.document_type,
        mild.language,
        mild.fmt,
    )
    # And the printed pages say so in their truth, legible, their files apart
    assert all(p.truth.family == "mild" for p in mild.pages)
    assert all(p.truth.family == "" for p in repo.pages)
    assert all(p.truth.legible for p in mild.pages)
    assert repo.file != mild.file
    assert mild.file.exists()


def test_a_corpus_refuses_a_repeated_family(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="families"):
        build_corpus(tmp_path, docs=1, seed=4, families=("mild", "mild"))
