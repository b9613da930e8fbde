"""Row paths: where a statistic row sits in its table's hierarchy, written as one string.

Every family resolves its own hierarchy (which row is whose parent is the template's business), but
all of them write the result the same way, with the functions of this module:

* a path joins the components of the row's ancestors and its own with ``/``: ``I/3/#2``,
  ``3.2./1.``, ``Biểu mẫu 2/2.1.``;
* a printed code is its own component (``3``, ``2.1.``); a row without a printed number gets
  ``#n``, its ordinal among the children of its parent (:func:`ordinal_component`);
* a printed code seen again under the same parent is told apart by its occurrence: ``6~2``
  (:func:`repeated_component`);
* a path already given out in the table gets a mark and the first free number appended: ``I/6~2``,
  ``2.1.#2`` (:func:`first_free`), so that every path of a table is unique.

The functions are pure; :class:`PathBook` only keeps the counters and the set of used paths of one
table while its rows are placed, in order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Container, Hashable
from dataclasses import dataclass, field

__all__ = [
    "ORDINAL_MARK",
    "REPEAT_MARK",
    "SEPARATOR",
    "PathBook",
    "dotted_parts",
    "first_free",
    "join_path",
    "ordinal_component",
    "repeated_component",
]

SEPARATOR = "/"
ORDINAL_MARK = "#"
REPEAT_MARK = "~"


def join_path(parent: str | None, component: str) -> str:
    """The path of a child ``component`` of ``parent`` (``None`` or ``""``: the top level)."""
    return f"{parent}{SEPARATOR}{component}" if parent else component


def ordinal_component(ordinal: int) -> str:
    """The component of an unnumbered row, the ``ordinal``-th (from 1) child of its parent: ``#2``."""
    return f"{ORDINAL_MARK}{ordinal}"


def repeated_component(code: str, occurrence: int, mark: str = REPEAT_MARK) -> str:
    """A printed code as a component, its ``occurrence``-th (from 1) time under one parent: ``6~2``."""
    return code if occurrence == 1 else f"{code}{mark}{occurrence}"


def first_free(path: str, used: Container[str], mark: str = REPEAT_MARK) -> str:
    """``path`` itself when unused, else ``path`` + ``mark`` + the first number from 2 that is free."""
    if path not in used:
        return path
    number = 2
    while f"{path}{mark}{number}" in used:
        number += 1
    return f"{path}{mark}{number}"


def dotted_parts(code: str) -> tuple[str, ...]:
    """The parts of a dotted row code, trailing dots ignored: ``"3.2."`` -> ``("3", "2")``."""
    return tuple(code.strip().rstrip(".").split("."))


@dataclass
class PathBook:
    """The paths of one table given out so far, and the counters behind ordinals and occurrences.

    ``mark`` is what :meth:`claim` appends to a path that is already used (``~`` or ``#``).
    """

    mark: str = REPEAT_MARK
    used: set[str] = field(default_factory=set)
    ordinals: Counter[Hashable] = field(default_factory=Counter)
    occurrences: Counter[Hashable] = field(default_factory=Counter)

    def claim(self, path: str) -> str:
        """``path`` made unique in the table (see :func:`first_free`), and recorded as used."""
        unique = first_free(path, self.used, self.mark)
        self.used.add(unique)
        return unique

    def next_ordinal(self, key: Hashable) -> int:
        """The next ordinal (from 1) of the children counted under ``key`` (usually a parent path)."""
        self.ordinals[key] += 1
        return self.ordinals[key]

    def next_occurrence(self, key: Hashable) -> int:
        """How many times (from 1) ``key`` (usually parent and printed code) has been seen."""
        self.occurrences[key] += 1
        return self.occurrences[key]

    def numbered_child(self, parent: str, code: str) -> str:
        """The claimed path of a child of ``parent`` printed as ``code`` (repeats get ``~k``)."""
        return self.claim(join_path(parent, repeated_component(code, self.next_occurrence((parent, code)))))

    def unnumbered_child(self, parent: str, key: Hashable | None = None) -> str:
        """The claimed path of an unnumbered child of ``parent``: ``parent/#n``.

        ``n`` counts the children under ``key`` (default: the parent path).
        """
        ordinal = self.next_ordinal(parent if key is None else key)
        return self.claim(join_path(parent, ordinal_component(ordinal)))
