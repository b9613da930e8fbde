"""Tests of ingest.families.row_paths: the one way every family writes row paths."""

from __future__ import annotations

from ingest.families.row_paths import (
    PathBook,
    dotted_parts,
    first_free,
    join_path,
    ordinal_component,
    repeated_component,
)


def test_join_path() -> None:
    assert join_path("", "I") == "I"
    assert join_path(None, "2.1.") == "2.1."
    assert join_path("I/3", "#2") == "I/3/#2"


def test_components() -> None:
    assert ordinal_component(2) == "#2"
    assert repeated_component("6", 1) == "6"
    assert repeated_component("6", 2) == "6~2"
    assert repeated_component("2.1.", 3, "#") == "2.1.#3"


def test_first_free() -> None:
    assert first_free("a", set()) == "a"
    assert first_free("a", {"a"}) == "a~2"
    assert first_free("a", {"a", "a~2", "a~3"}) == "a~4"
    assert first_free("a", {"a", "a#2"}, "#") == "a#3"


def test_dotted_parts() -> None:
    assert dotted_parts("3.2.") == ("3", "2")
    assert dotted_parts("3.3.1") == ("3", "3", "1")
    assert dotted_parts(" 2. ") == ("2",)


def test_path_book_claims_unique_paths() -> None:
    book = PathBook()
    assert [book.claim("I/6") for _ in range(3)] == ["I/6", "I/6~2", "I/6~3"]
    hashes = PathBook(mark="#")
    assert [hashes.claim("2.1.") for _ in range(2)] == ["2.1.", "2.1.#2"]


def test_path_book_children() -> None:
    book = PathBook()
    assert book.numbered_child("I", "6") == "I/6"
    assert book.numbered_child("I", "6") == "I/6~2"
    assert book.unnumbered_child("I/6") == "I/6/#1"
    assert book.unnumbered_child("I/6") == "I/6/#2"
    # ordinals counted under another key (e.g. section and parent) than the parent path
    assert book.unnumbered_child("", key=("II", None)) == "#1"
    assert book.unnumbered_child("", key=("II", None)) == "#2"
    assert book.unnumbered_child("", key=("III", None)) == "#1~2"


def test_ordinals_and_occurrences_are_counted_per_key() -> None:
    book = PathBook()
    assert [book.next_ordinal("I"), book.next_ordinal("I"), book.next_ordinal("II")] == [1, 2, 1]
    assert [book.next_occurrence(("I", "6")), book.next_occurrence(("I", "6"))] == [1, 2]
    assert book.ordinals["III"] == 0
