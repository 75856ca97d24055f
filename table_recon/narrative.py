"""Narrative ties: what the prose says against what the tables print (warnings, never failures)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from disclosure.ocr.origin import Origin
from disclosure.table_recon.rules import Number, signed_sum

_GAP = r"[^，。；;,\d]{0,%d}?"
TIES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("受理/新收", ("apply.received.total",), r"(?:受理|新收|收到)" + _GAP % 25 + r"(\d+)\s*件"),
    ("办结/答复", ("apply.total.total",), r"(?:办结|答复)" + _GAP % 12 + r"(\d+)\s*件"),
    ("结转下年度", ("apply.carried_over.total",), r"结转(?:至|到)?下一?年度?" + _GAP % 10 + r"(\d+)\s*件"),
    ("行政复议", ("appeal.review.total",), r"行政复议" + _GAP % 10 + r"(\d+)\s*件"),
    ("行政诉讼", ("appeal.litigation_direct.total", "appeal.litigation_after_review.total"),
     r"行政诉讼" + _GAP % 10 + r"(\d+)\s*件"),
)


@dataclass(frozen=True)
class Tie:
    phrase: str
    keys: tuple[str, ...]
    narrative: int
    table: Number | None
    sentence: str
    origin: Origin

    @property
    def ok(self) -> bool | None:
        return None if self.table is None else self.narrative == self.table

    def as_dict(self) -> dict:
        return {"phrase": self.phrase, "fields": list(self.keys), "narrative": self.narrative,
                "table": self.table if self.table is None else int(self.table), "ok": self.ok,
                "sentence": self.sentence, **self.origin.as_dict()}


def _paragraphs(lines: tuple[tuple[str, Origin], ...]) -> list[tuple[str, list[tuple[int, Origin]]]]:
    """Join wrapped lines (PDF text wraps mid-sentence) into one string with offsets back to lines."""
    text, offsets = "", []
    for line, origin in lines:
        offsets.append((len(text), origin))
        text += re.sub(r"\s+", "", line)
    return [(text, offsets)]


def find_ties(lines: tuple[tuple[str, Origin], ...], values: Mapping[str, Number | None]) -> tuple[Tie, ...]:
    ties = []
    for text, offsets in _paragraphs(lines):
        for phrase, keys, pattern in TIES:
            match = re.search(pattern, text)
            if not match:
                continue
            origin = next(o for start, o in reversed(offsets) if start <= match.start())
            table = signed_sum((1, values.get(k)) for k in keys)
            start = max(text.rfind("。", 0, match.start()) + 1, match.start() - 60)
            end = text.find("。", match.end())
            sentence = text[start: end + 1 if end != -1 else match.end() + 40]
            ties.append(Tie(phrase, keys, int(match[1]), table, sentence, origin))
    return tuple(ties)
