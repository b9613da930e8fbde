"""Writing a value as reports write it: ``5.327``, ``66,67``, ``100%``, ``04``, ``10/10 xã``."""

from __future__ import annotations

import random

from synth.skeleton import Style


def thousands(number: int) -> str:
    """5327 -> "5.327" (dot as thousands separator)."""
    return f"{number:,}".replace(",", ".")


def decimal(number: float) -> str:
    """66.67 -> "66,67", 100.0 -> "100", 12.5 -> "12,5" (comma as decimal separator)."""
    text = f"{round(number, 2):.2f}".rstrip("0").rstrip(".")
    whole, _, frac = text.partition(".")
    return thousands(int(whole)) + ("," + frac if frac else "") if not whole.startswith("-") else text


def write_value(value: float | None, kind: str, style: Style, rng: random.Random) -> str:
    """The cell text of a value of a kind, in the sample cell's style (None -> empty cell)."""
    if value is None:
        return ""
    if kind == "rate":
        text = decimal(value) + ("%" if style.percent_sign else "")
        return style.prefix + text
    number = round(value)
    if style.ratio:
        text = f"{number}/{number + rng.choice((0, 0, 0, 1, 2))}"
    elif style.zero_pad and 0 <= number < 10:
        text = f"{number:02d}"
    else:
        text = thousands(number) if number >= 0 else str(number)
    if style.percent_sign:
        text += "%"
    if style.tail:
        text += " " + style.tail
    return style.prefix + text
