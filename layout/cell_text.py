"""What a printed cell says: a number, an empty cell, or text.

Reports write the same thing many ways: full-width digits, stray and ideographic spaces,
thousands separators, signed deltas, decimals, a unit in the cell ("251000元"), and "/", "—",
"-", "无" or nothing for an empty cell.
"""

from __future__ import annotations

import enum
import functools
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation


class CellKind(enum.Enum):
    NUMBER = "number"
    EMPTY = "empty"
    TEXT = "text"


@dataclass(frozen=True)
class CellValue:
    kind: CellKind
    number: int | Decimal | None = None
    unit: str | None = None


EMPTY_MARKERS = frozenset({"", "/", "-", "--", "—", "——", "–", "一", "无", "空", "\\", "×", "x", "X"})
_UNIT = r"(?:万元|元|件|个|项|条|次)"
_NUMBER_RE = re.compile(
    rf"^(?P<sign>[+\-])?(?P<digits>\d{{1,3}}(?:,\d{{3}})+|\d+)(?P<frac>\.\d+)?(?P<unit>{_UNIT})?$"
)


_QUOTES = str.maketrans("", "", "“”\"'‘’「」『』《》")
_SEPARATORS = re.compile(r"[、，,．]")


@functools.lru_cache(maxsize=65536)
def normalize_text(raw: str, *, label: bool = False) -> str:
    """The one normaliser of printed text: NFKC (full-width digits, brackets and spaces become
    ASCII), minus and plus signs as "-" and "+", and every kind of space removed.

    `label`: a label, compared with the template's patterns (`table_recon/formats.py`), which
    also differs from print to print in what carries no meaning there: quotes are dropped, square
    and black-lenticular brackets become "()", and "、", "，", ",", "．" all become ".". Never for a
    cell's text: there "," separates thousands ("1,234" is 1234, not 1.234).
    """
    text = unicodedata.normalize("NFKC", raw)
    text = text.replace("−", "-").replace("－", "-").replace("＋", "+")
    text = re.sub(r"\s+", "", text)
    if not label:
        return text
    text = text.translate(_QUOTES).replace("【", "(").replace("】", ")").replace("[", "(").replace("]", ")")
    return _SEPARATORS.sub(".", text)


@functools.lru_cache(maxsize=65536)
def parse_cell(raw: str) -> CellValue:
    """Spaces around a number are noise; spaces inside separate several numbers (not one cell)."""
    if any(ch.isspace() for ch in raw.strip()) and normalize_text(raw) not in EMPTY_MARKERS:
        return CellValue(CellKind.TEXT)
    text = normalize_text(raw)
    if text in EMPTY_MARKERS:
        return CellValue(CellKind.EMPTY)
    match = _NUMBER_RE.match(text)
    if not match:
        return CellValue(CellKind.TEXT)
    digits = match["digits"].replace(",", "")
    try:
        value = Decimal(f"{match['sign'] or ''}{digits}{match['frac'] or ''}")
    except InvalidOperation:
        return CellValue(CellKind.TEXT)
    number: int | Decimal = int(value) if match["frac"] is None else value
    return CellValue(CellKind.NUMBER, number, match["unit"])


def is_value_text(raw: str) -> bool:
    """True for a line or cell that holds a number or an empty marker, not a label."""
    return parse_cell(raw).kind is not CellKind.TEXT


_JOINED_RE = re.compile(r"^[+\-]?\d[\d.+\-]*\d$")
_UNIT_TAIL_RE = re.compile(r"(?:万元|元)$")


def joined_digits(raw: str) -> str:
    """The digits of a run that may be several cells joined, without the unit written after the
    last one ("6251000元": 6 and 251000元)."""
    return _UNIT_TAIL_RE.sub("", normalize_text(raw))


@functools.lru_cache(maxsize=65536)
def may_be_joined_cells(raw: str) -> bool:
    """Digits with signs or a decimal point between them: several cells copied without separators."""
    if any(ch.isspace() for ch in raw.strip()):
        return False
    text = joined_digits(raw)
    return bool(_JOINED_RE.match(text)) and text.count(".") <= 1 and text.isascii()
