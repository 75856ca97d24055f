"""One key per agency, whatever the spelling its reports print: the key cross-year ties group by.

Reports of one office differ from year to year in width (full-width brackets and spaces), in
spaces between characters of a title set in a wide font, and in the office's own spelling: the
2019 reports of many 人力资源和社会保障 offices spell it 人力资源社会保障 from 2021, and a 人民政府
is often printed 政府. The key folds exactly those differences and nothing else: two offices whose
names differ in any other character stay two agencies.
"""

from __future__ import annotations

import re

from disclosure.layout.cell_text import normalize_text

# (spelling, the spelling it is folded to): the variants one office prints in different years
SPELLINGS: tuple[tuple[str, str], ...] = (
    ("人力资源和社会保障", "人力资源社会保障"),
    ("人民政府", "政府"),
    ("中华人民共和国", ""),  # ministries print the state's name in some years only
)

_DOTS = re.compile(r"[·•．.]+")  # between the characters of a name set in a wide font
_BRACKETS = str.maketrans({"〔": "(", "〕": ")", "【": "(", "】": ")", "[": "(", "]": ")"})


def agency_key(printed: str | None) -> str | None:
    """The key of the agency a report names; None where it names none."""
    if not printed:
        return None
    text = _DOTS.sub("", normalize_text(printed).translate(_BRACKETS))
    for spelling, folded in SPELLINGS:
        text = text.replace(spelling, folded)
    return text or None
