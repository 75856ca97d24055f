"""The output of layout: rows of a table, each a label and its number cells."""

from __future__ import annotations

from dataclasses import dataclass

from disclosure.ocr.origin import Origin


@dataclass(frozen=True)
class Cell:
    """One printed value cell (or a run of cells joined without separators, see `glued`)."""

    text: str
    origin: Origin
    glued: bool = False  # printed against the label with no separator: maybe several cells joined


@dataclass(frozen=True)
class LabeledRow:
    """The label text printed since the previous row's numbers, then this row's cells.

    `exact` is True when the cells are exactly the printed columns (a ruled grid, blanks included);
    False when blank cells may have been dropped or cells joined (flattened text), or whole rows
    printed blank (a table without rules, where only values make a row).
    """

    label_lines: tuple[str, ...]
    label_origins: tuple[Origin, ...]
    cells: tuple[Cell, ...]
    exact: bool
    page: int | None = None

    @property
    def label(self) -> str:
        return "".join(self.label_lines)


@dataclass(frozen=True)
class RowSequence:
    """All rows of one document, in reading order, and the plain text used for narrative and format."""

    source: str
    rows: tuple[LabeledRow, ...]
    text_lines: tuple[tuple[str, Origin], ...]
    notes: tuple[str, ...] = ()
