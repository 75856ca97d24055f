"""Where a piece of text came from: the provenance every later value carries."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Box:
    """An axis-aligned box in page coordinates (PDF points or image pixels), top-left origin."""

    x0: float
    top: float
    x1: float
    bottom: float

    def __post_init__(self) -> None:
        if self.x1 < self.x0 or self.bottom < self.top:
            raise ValueError(f"box has negative size: {self}")

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def center(self) -> tuple[float, float]:
        return ((self.x0 + self.x1) / 2, (self.top + self.bottom) / 2)

    def holds(self, point: tuple[float, float]) -> bool:
        return self.x0 <= point[0] <= self.x1 and self.top <= point[1] <= self.bottom

    def union(self, other: Box) -> Box:
        return Box(min(self.x0, other.x0), min(self.top, other.top),
                   max(self.x1, other.x1), max(self.bottom, other.bottom))

    def as_list(self) -> list[float]:
        return [round(self.x0, 1), round(self.top, 1), round(self.x1, 1), round(self.bottom, 1)]


@dataclass(frozen=True)
class Origin:
    """Provenance of one piece of text: the file, where in it, what was printed, how sure we are.

    A text file gives `line`; a PDF or a scan gives `page` and `box`; a table in markup (HTML,
    Word) gives `cell`: the table's, the row's and the column's number in the document, from 1.
    `confidence` is 1.0 for text
    that was read from a text layer and the recogniser's score for OCR; `alternatives` are other
    readings of the same pixels the recogniser gave some weight, each with that weight. `doubts`
    says why the reading may be wrong although it was read with confidence (``"seal"``: the cell
    lay under a seal whose ink was taken out; ``"noise"``: specks or a fold crossed it): a rule
    that fails on such a cell is no finding while another plausible reading of it makes the rule hold.
    """

    source: str
    raw: str
    line: int | None = None
    page: int | None = None
    box: Box | None = None
    confidence: float = 1.0
    alternatives: tuple[tuple[str, float], ...] = ()
    cell: tuple[int, int, int] | None = None
    doubts: tuple[str, ...] = ()

    def describe(self) -> str:
        if self.cell is not None:
            return "table {}, row {}, column {}".format(*self.cell)
        if self.line is not None:
            return f"line {self.line}"
        if self.page is not None:
            return f"page {self.page}"
        return self.source

    def as_dict(self) -> dict:
        out: dict = {"raw": self.raw}
        if self.line is not None:
            out["line"] = self.line
        if self.page is not None:
            out["page"] = self.page
        if self.box is not None:
            out["box"] = self.box.as_list()
        if self.cell is not None:
            out["table"], out["row"], out["column"] = self.cell
        if self.confidence != 1.0:
            out["confidence"] = round(self.confidence, 4)
        if self.alternatives:
            out["alternatives"] = [[text, round(p, 4)] for text, p in self.alternatives]
        if self.doubts:
            out["doubts"] = list(self.doubts)
        return out
