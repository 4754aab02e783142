"""Renumbering [n] markers as text streams in: pure, tested with plain strings."""

from __future__ import annotations

from assistant.answer.agent import CitationNumbers


def _stream(pieces: list[str], known: set[int]) -> tuple[str, CitationNumbers]:
    numbers = CitationNumbers(lambda n: n in known)
    text = "".join(numbers.feed(p) for p in pieces) + numbers.flush()
    return text, numbers


def test_markers_are_numbered_by_first_use_even_when_split_across_pieces() -> None:
    text, numbers = _stream(["见文件[", "3]与【1", "、3】，另见[7", "]。"], known={1, 3})
    assert text == "见文件[1]与[2][1]，另见。"
    assert numbers.order == {3: 1, 1: 2} and numbers.unknown == [7]


def test_years_and_document_numbers_are_not_markers() -> None:
    text, numbers = _stream(["依据安招函[20", "23]31号，[2023]年"], known={1})
    assert text == "依据安招函[2023]31号，[2023]年" and numbers.order == {}


def test_an_unfinished_bracket_at_the_end_is_kept() -> None:
    assert _stream(["共计[", "12"], known={12})[0] == "共计[12"
