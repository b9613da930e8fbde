"""What a report says about itself: its reporting unit and its period.

Reports name their unit and period in the title or the opening sentence, e.g.
"QUÝ III NĂM 2022 CỦA THỊ XÃ VĨNH CHÂU", "NĂM 2021****TẠI UBND HUYỆN THẠNH TRỊ",
"thị xã Duyên Hải quý I năm 2023", "Thời gian: Quý I năm 2023", or a sentence wrapped
over several lines with blank lines between ("UBND thị trấn \\n\\nCát Thành báo cáo
... quý III năm 2024"). This module reads those phrases; it is pure (lines in, HeaderInfo
out) and never guesses: a document that states nothing gives ``None`` fields.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ingest.records import HeaderInfo
from ingest.text import nfc

# How many non-blank lines at the top of a document count as its title and opening.
OPENING_LINES = 15
# How far (characters of the joined opening) a unit may sit from the period it goes with.
UNIT_WINDOW = 160

_MARKUP = re.compile(r"\*\*|__|<[^>]+>")
_SPACES = re.compile(r"\s+")

_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_PERIOD_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "half",
        re.compile(
            rf"\b6\s+tháng\s+(?P<half>đầu|cuối)\s+năm\s+{_YEAR}\b",
            re.IGNORECASE,
        ),
    ),
    (
        "nine_months",
        re.compile(rf"\b9\s+tháng\s+(?:đầu\s+)?năm\s+{_YEAR}\b", re.IGNORECASE),
    ),
    (
        "quarter",
        re.compile(
            rf"\bquý\s+(?P<quarter>IV|III|II|I|[1-4])\b\s*(?:năm\s+|/\s*)?{_YEAR}\b",
            re.IGNORECASE,
        ),
    ),
    ("year", re.compile(rf"\bnăm\s+{_YEAR}\b", re.IGNORECASE)),
)
# "ngày 03 tháng 3 năm 2023", "ngày ..... năm 2021", "tháng 9 năm 2022": dates, not periods.
_DATE_BEFORE = re.compile(r"(?:ngày|tháng)[\s\d./…]*$", re.IGNORECASE)
_EXPLICIT_PERIOD = re.compile(r"^\s*(?:thời\s+gian|kỳ\s+báo\s+cáo)\s*:", re.IGNORECASE)

_UNIT_KINDS = r"thị\s+xã|thị\s+trấn|thành\s+phố|huyện|quận|phường|xã"
_UNIT = re.compile(
    rf"(?<![\w])(?P<kind>{_UNIT_KINDS})\s+(?P<rest>[^\s,;:.()]+(?:\s+[^\s,;:.()]+){{0,4}})", re.IGNORECASE
)
# "năm" ends a unit name only when a year follows ("THỊ XÃ VĨNH CHÂU NĂM 2022"); otherwise it is
# part of the name ("THỊ XÃ NGÃ NĂM", "huyện Năm Căn").
_YEAR_WORD = "năm"
_YEAR_DIGITS = re.compile(r"^\d{4}\b")
# Capitalized words that end a unit name instead of belonging to it.
_NAME_STOP = frozenset(
    {
        "quý",
        "báo",
        "về",
        "tỉnh",
        "trong",
        "như",
        "của",
        "tại",
        "ngày",
        "và",
        "giai",
        "đến",
        "từ",
        "theo",
        "thời",
        "kèm",
        "ban",
        "trân",
        "đã",
        "thực",
        "cải",
    }
)
_REPORTS_VERB = re.compile(r"^\s*(?:trân\s+trọng\s+)?báo\s+cáo", re.IGNORECASE)
_UNIT_BODY_BEFORE = re.compile(r"(?:ubnd|ủy\s+ban\s+nhân\s+dân|của|tại)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class _Found:
    start: int  # offset in the joined text
    end: int
    line: int
    text: str


@dataclass(frozen=True)
class _PeriodFound(_Found):
    period_type: str
    year: int
    number: int | None
    explicit: bool  # from a "Thời gian: ..." line


@dataclass(frozen=True)
class _UnitFound(_Found):
    name: str  # "thị xã Vĩnh Châu"


class _Joined:
    """Lines joined with single spaces, with a map from offsets back to line numbers."""

    def __init__(self, numbered: Sequence[tuple[int, str]]) -> None:
        parts: list[str] = []
        self.starts: list[int] = []
        self.line_numbers: list[int] = []
        offset = 0
        for line_no, raw in numbered:
            clean = _SPACES.sub(" ", _MARKUP.sub(" ", nfc(raw))).strip()
            if not clean:
                continue
            self.starts.append(offset)
            self.line_numbers.append(line_no)
            parts.append(clean)
            offset += len(clean) + 1
        self.text = " ".join(parts)

    def line_at(self, offset: int) -> int:
        return self.line_numbers[bisect.bisect_right(self.starts, offset) - 1]


def _title_name(words: Sequence[str]) -> str:
    return " ".join(w[:1].upper() + w[1:].lower() for w in words)


def _ends_name(word: str, next_words: Sequence[str]) -> bool:
    """A stop word, or "năm" followed by a year, ends a unit name."""
    lowered = word.lower()
    if lowered == _YEAR_WORD:
        return bool(next_words) and bool(_YEAR_DIGITS.match(next_words[0]))
    return lowered in _NAME_STOP


def _find_units(joined: _Joined) -> list[_UnitFound]:
    found: list[_UnitFound] = []
    for m in _UNIT.finditer(joined.text):
        words: list[str] = []
        rest = m.group("rest").split()
        following = joined.text[m.end() :].split(maxsplit=1)[:1]
        for i, word in enumerate(rest):
            if _ends_name(word, (rest[i + 1 :] or following)[:1]):
                break
            if word[0].isupper() or (i == 0 and word.isdigit()):
                words.append(word)
                continue
            break
        if not words or (words[0].isdigit() and len(words) > 1):
            continue
        kind = _SPACES.sub(" ", m.group("kind")).lower()
        name = f"{kind} {_title_name(words)}"
        end = m.start("rest") + len(" ".join(words))
        found.append(
            _UnitFound(m.start(), end, joined.line_at(m.start()), joined.text[m.start() : end], name)
        )
    return found


def _find_periods(joined: _Joined, explicit: bool) -> list[_PeriodFound]:
    found: list[_PeriodFound] = []
    taken: list[tuple[int, int]] = []
    for period_type, pattern in _PERIOD_PATTERNS:
        for m in pattern.finditer(joined.text):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            if period_type == "year" and _DATE_BEFORE.search(joined.text[max(0, m.start() - 30) : m.start()]):
                continue
            number: int | None = None
            if period_type == "half":
                number = 1 if m.group("half").lower() == "đầu" else 2
            elif period_type == "quarter":
                q = m.group("quarter").upper()
                number = _ROMAN.get(q) or int(q)
            taken.append((m.start(), m.end()))
            found.append(
                _PeriodFound(
                    m.start(),
                    m.end(),
                    joined.line_at(m.start()),
                    m.group(0),
                    period_type,
                    int(m.group("year")),
                    number,
                    explicit,
                )
            )
    return sorted(found, key=lambda p: p.start)


def _choose_period(periods: Sequence[_PeriodFound]) -> _PeriodFound | None:
    """The period of the report: an explicit "Thời gian:" line first, then the most
    specific period of the opening (a quarter over a bare year), then the earliest."""
    if not periods:
        return None
    explicit = [p for p in periods if p.explicit]
    pool = explicit or list(periods)
    return min(pool, key=lambda p: (p.period_type == "year", p.start))


def _choose_unit(units: Sequence[_UnitFound], period: _PeriodFound | None) -> _UnitFound | None:
    """The reporting unit: the unit nearest to the chosen period in the same passage,
    else the unit that "báo cáo" (reports), else one named after UBND/của/tại, else the first."""
    if not units:
        return None
    if period is not None and not period.explicit:
        near = [u for u in units if min(abs(u.start - period.end), abs(period.start - u.end)) <= UNIT_WINDOW]
        if near:
            return min(near, key=lambda u: min(abs(u.start - period.end), abs(period.start - u.end)))
    return units[0]


def _rank_units(joined: _Joined, units: Sequence[_UnitFound]) -> list[_UnitFound]:
    def rank(u: _UnitFound) -> tuple[int, int]:
        after = joined.text[u.end : u.end + 20]
        before = joined.text[max(0, u.start - 25) : u.start]
        if _REPORTS_VERB.search(after):
            return (0, u.start)
        if _UNIT_BODY_BEFORE.search(before):
            return (1, u.start)
        return (2, u.start)

    return sorted(units, key=rank)


def detect_header(lines: Sequence[str]) -> HeaderInfo:
    """Read the reporting unit and period a document states about itself.

    ``lines`` are the file's lines (:func:`ingest.text.split_lines`); line numbers in the result
    are 1-based. Fields stay ``None`` when the document does not state them.
    """
    numbered = list(enumerate(lines, start=1))
    opening: list[tuple[int, str]] = []
    for line_no, line in numbered:
        if line.strip():
            opening.append((line_no, line))
        if len(opening) >= OPENING_LINES:
            break
    head = _Joined(opening)
    periods = _find_periods(head, explicit=False)
    for line_no, line in numbered:
        if _EXPLICIT_PERIOD.search(nfc(line)):
            periods.extend(_find_periods(_Joined([(line_no, line)]), explicit=True))
    period = _choose_period(periods)
    units = _rank_units(head, _find_units(head))
    unit = _choose_unit(units, period if period is not None and not period.explicit else None)
    if unit is None or (period is not None and period.explicit):
        # An explicit period line names no unit: take the best-placed unit of the opening,
        # or the unit nearest to the opening's own period when it has one.
        opening_period = _choose_period([p for p in periods if not p.explicit])
        unit = _choose_unit(units, opening_period)
    return HeaderInfo(
        unit_name=unit.name if unit else None,
        unit_line=unit.line if unit else None,
        period_text=period.text if period else None,
        period_type=period.period_type if period else None,
        period_year=period.year if period else None,
        period_number=period.number if period else None,
        period_line=period.line if period else None,
    )
