"""Assembling a report's text from a skeleton, its slot texts, names and label edits.

A skeleton is compiled once into a list of strings with holes (slots, names, labels);
a report copies the list, fills the holes and joins it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from synth.skeleton import Skeleton


@dataclass(frozen=True)
class Compiled:
    parts: tuple[str, ...]
    slots: tuple[tuple[int, int], ...]  # (position in parts, slot index)
    names: tuple[tuple[int, str, bool, bool], ...]  # (position, name key, upper, title)
    labels: Mapping[int, int]  # piece index of a label -> position in parts


def compile_skeleton(sk: Skeleton) -> Compiled:
    parts: list[str] = []
    slots: list[tuple[int, int]] = []
    names: list[tuple[int, str, bool, bool]] = []
    labels: dict[int, int] = {}
    literal = False
    for i, piece in enumerate(sk.pieces):
        if piece.kind == "text" and literal:
            parts[-1] += piece.text
            continue
        literal = piece.kind == "text"
        if piece.kind == "slot":
            slots.append((len(parts), piece.slot))
        elif piece.kind == "name":
            names.append((len(parts), piece.text, piece.upper, piece.title))
        elif piece.kind == "label":
            labels[i] = len(parts)
        parts.append(piece.text)
    return Compiled(tuple(parts), tuple(slots), tuple(names), labels)


_COMPILED: dict[int, tuple[Skeleton, Compiled]] = {}


def compiled(sk: Skeleton) -> Compiled:
    """The compiled form of a skeleton, kept per skeleton object."""
    found = _COMPILED.get(id(sk))
    if found is None or found[0] is not sk:
        found = (sk, compile_skeleton(sk))
        _COMPILED[id(sk)] = found
    return found[1]


def _case(text: str, upper: bool, title: bool) -> str:
    if upper:
        return text.upper()
    return text[:1].upper() + text[1:] if title else text


def render(
    sk: Skeleton,
    slot_texts: Mapping[int, str],
    names: Mapping[str, str],
    label_edits: Mapping[int, str] | None = None,
) -> str:
    """The report text; label_edits maps a label's piece index to the label written instead."""
    code = compiled(sk)
    out = list(code.parts)
    for pos, slot in code.slots:
        out[pos] = slot_texts.get(slot, "")
    for pos, key, upper, title in code.names:
        out[pos] = _case(names[key], upper, title)
    for piece, text in (label_edits or {}).items():
        out[code.labels[piece]] = text
    return "".join(out)
