"""Tests of ingest.text: line splitting and cell clean-up."""

from __future__ import annotations

import pytest

from ingest.text import clean_cell, split_lines

# Characters that str.splitlines() treats as line breaks but an editor and `wc -l` do not.
NOT_LINE_BREAKS = ["\f", "\v", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("a", ["a"]),
        ("a\n", ["a"]),
        ("a\nb", ["a", "b"]),
        ("a\nb\n", ["a", "b"]),
        ("a\n\n", ["a", ""]),
        ("\n", [""]),
        ("\n\n", ["", ""]),
        ("a\r\nb\r\n", ["a", "b"]),
        ("a\rb\r", ["a", "b"]),
        ("a\r\n\r\nb", ["a", "", "b"]),
        ("a\r\rb", ["a", "", "b"]),
    ],
)
def test_split_lines(text: str, expected: list[str]) -> None:
    assert split_lines(text) == expected


@pytest.mark.parametrize("char", NOT_LINE_BREAKS)
def test_split_lines_keeps_other_break_characters_as_text(char: str) -> None:
    text = f"one{char}two\nthree\n"
    assert split_lines(text) == [f"one{char}two", "three"]
    assert len(text.splitlines()) == 3  # what the parsers used to count


def test_split_lines_counts_like_wc_l() -> None:
    text = "\fpage 2\nrow\u2028label\t5\x85\n\x1cend\n"
    assert len(split_lines(text)) == text.count("\n")


def test_split_lines_without_special_characters_matches_splitlines() -> None:
    text = "title\n\n1\tlabel\t5\r\n2\tother\t6\n\n"
    assert split_lines(text) == text.splitlines()


@pytest.mark.parametrize("char", NOT_LINE_BREAKS)
def test_clean_cell_treats_break_characters_as_white_space(char: str) -> None:
    assert clean_cell(f"{char}Tổng số{char}hồ sơ {char}") == "Tổng số hồ sơ"
