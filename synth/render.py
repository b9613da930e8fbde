"""Assembling a report's text from a skeleton, its slot texts, names and label edits."""

from __future__ import annotations

from collections.abc import Mapping

from synth.skeleton import Piece, Skeleton


def _name(piece: Piece, names: Mapping[str, str]) -> str:
    text = names[piece.text]
    if piece.upper:
        return text.upper()
    if piece.title:
        return text[:1].upper() + text[1:]
    return text


def render(
    skeleton: Skeleton,
    slot_texts: Mapping[int, str],
    names: Mapping[str, str],
    label_edits: Mapping[int, str] | None = None,
) -> str:
    """The report text; label_edits maps a piece index to the label written instead."""
    edits = label_edits or {}
    out: list[str] = []
    for i, piece in enumerate(skeleton.pieces):
        if piece.kind == "slot":
            out.append(slot_texts.get(piece.slot, ""))
        elif piece.kind == "name":
            out.append(_name(piece, names))
        else:
            out.append(edits.get(i, piece.text))
    return "".join(out)
