"""Tables flattened to one cell per line become `LabeledRow`s.

A flattened table is a run of label lines then value lines. Value lines (numbers, empty markers,
and empty lines inside a row) are the cells; a value glued to the end of a label line
("行政规范性文件6233440", a web table copied as one run) becomes a glued cell; several values on one
line separated by spaces become several cells. Page numbers and running headers that fall
between cells are dropped.
"""

from __future__ import annotations

import re
from collections import Counter

from disclosure.layout.cell_text import is_value_text, may_be_joined_cells, normalize_text
from disclosure.layout.extracted_text import normalize_extracted
from disclosure.layout.rows import Cell, LabeledRow, RowSequence
from disclosure.ocr.origin import Origin
from disclosure.ocr.page_model import PageDocument, PageLine

_MARKDOWN_RULE_RE = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?$")  # under a header
_PAGE_NUMBER_RE = re.compile(
    r"^(?:[-—–~]+\d{1,3}[-—–~]+|第\d{1,3}页(?:共\d{1,3}页)?|\d{1,3}/\d{1,3}|-?\d{1,3}-|[（(]\d{1,3}[)）]页?)$"
)
# digits printed against the end of a label with no separator: a web table copied as one run, its
# blank cells written as dashes or slashes between the digit runs, or as nothing
_VALUE_RUN = r"[+\-]?\d(?:[\d,.+\-]*\d)?(?:万元|元)?|[—–/\-]"
_GLUED_VALUES_RE = re.compile(rf"^(?P<label>.*[^\d\s.,+\-—–/])(?P<values>(?:{_VALUE_RUN})+)$")
_VALUE_RUNS_RE = re.compile(f"(?:{_VALUE_RUN})+")


def is_page_furniture(text: str) -> bool:
    return bool(_PAGE_NUMBER_RE.match(normalize_text(text)) or _MARKDOWN_RULE_RE.match(text.strip()))


def _repeated_headers(lines: tuple[PageLine, ...]) -> frozenset[str]:
    """Lines that look like a running header: repeated, long, and mentioning the report itself."""
    counts = Counter(normalize_text(line.text) for line in lines)
    headers = {t for t, n in counts.items() if n >= 2 and len(t) >= 8 and "年度报告" in t}
    # a title set on two lines, printed once more on one line as a page's running header
    first = [normalize_text(line.text) for line in lines[:8] if line.text.strip()][:3]
    for end in (2, 3):
        if "年度报告" in "".join(first[:end]) and "年度报告" not in "".join(first[:end - 1]):
            headers.add("".join(first[:end]))
    return frozenset(headers)


def _split_cells(text: str) -> tuple[str, list[tuple[str, bool]]] | None:
    """A row written with `|` between cells (a markdown table, a crawler's cell separator): the
    text cells are the label, every cell after them a value, blank ones included. With outer pipes
    (`| a | b |`) the first and last are frames; without (html2text's ` | b|   `), a blank before
    the first pipe or after the last is a cell."""
    if "|" not in text:
        return None
    framed = text.strip()
    if len(framed) > 1 and framed.startswith("|") and framed.endswith("|"):
        text = framed[1:-1]
    cells = [cell.strip() for cell in text.split("|")]
    if all(set(cell) <= set("-: ") for cell in cells):
        return "", []  # a row of blank cells under no label (a header's filler), or a markdown rule
    labels = 0
    while labels < len(cells) and not is_value_text(cells[labels]) and not may_be_joined_cells(cells[labels]):
        labels += 1
    if labels == len(cells):
        return "".join(cells), []
    return "".join(cells[:labels]), [(cell, False) for cell in cells[labels:]]


def _is_values(token: str) -> bool:
    return is_value_text(token) or may_be_joined_cells(token) or bool(_VALUE_RUNS_RE.fullmatch(token))


def _tokens(text: str) -> list[tuple[str, int]]:
    """Space-separated tokens, each with the number of the space-free stretch it is in; a no-break
    space is a blank cell of its own: a Word-exported web table writes each blank cell as `&nbsp;`,
    and text extracted from it keeps them."""
    out: list[tuple[str, int]] = []
    for group, token in enumerate(re.split(r"[^\S\u00a0]+", text)):
        out += [("" if piece == "\u00a0" else piece, group) for piece in re.findall(r"\u00a0|[^\u00a0]+", token)]
    return out


def _split_line(text: str) -> tuple[str, list[tuple[str, bool]]]:
    """Split a line into its label and trailing value tokens; a token is (text, glued)."""
    stripped = text.strip()
    if is_value_text(stripped) or may_be_joined_cells(stripped):
        return "", [(stripped, False)]
    if _VALUE_RUNS_RE.fullmatch(stripped):  # a row's values run together, blanks as dashes
        return "", [(run, True) for run in re.findall(_VALUE_RUN, stripped)]
    cells = _split_cells(text)
    if cells is not None:
        return cells
    parts = _tokens(text)
    tail: list[tuple[str, int]] = []
    while parts and _is_values(parts[-1][0]):
        tail.insert(0, parts.pop())
    if any(not (is_value_text(t) or may_be_joined_cells(t)) for t, _ in tail):  # runs with dashes between
        tail = [(run, group) for t, group in tail for run in (re.findall(_VALUE_RUN, t) or [t])]
        return " ".join(t for t, _ in parts if t), [(t, True) for t, _ in tail]
    if not parts:
        return "", [(t, False) for t, _ in tail]
    label = " ".join(t for t, _ in parts if t)
    match = _GLUED_VALUES_RE.match(parts[-1][0])
    if match:
        # the label runs into the first value: the extractor kept no separators, so each run of
        # digits may hold several cells
        runs = re.findall(_VALUE_RUN, match["values"]) + [t for t, _ in tail]
        return " ".join([*(t for t, _ in parts[:-1] if t), match["label"]]), [(run, True) for run in runs]
    if tail:
        # values told apart only by the no-break spaces of blank cells: no separators either
        joined = len({group for _, group in tail} | {parts[-1][1]}) == 1
        return label, [(t, joined) for t, _ in tail]
    return stripped, []


def rows_from_text(doc: PageDocument) -> RowSequence:
    """The rows of a text file's lines (`PageDocument.flow_lines`), its tables flattened in them."""
    doc = normalize_extracted(doc)
    lines = doc.flow_lines()
    headers = _repeated_headers(lines)
    rows: list[LabeledRow] = []
    label_lines: list[str] = []
    label_origins: list[Origin] = []
    cells: list[Cell] = []
    text_lines: list[tuple[str, Origin]] = []

    def close_row() -> None:
        if cells or label_lines:
            rows.append(LabeledRow(tuple(label_lines), tuple(label_origins), tuple(cells), exact=False))
        label_lines.clear()
        label_origins.clear()
        cells.clear()

    for line in lines:
        origin = Origin(source=doc.source, raw=line.text, line=line.origin.line)
        text_lines.append((line.text, origin))
        if is_page_furniture(line.text) or normalize_text(line.text) in headers:
            continue
        if not line.text.strip():
            # an empty line is a blank cell only between a row's label and its last number
            if label_lines:
                cells.append(Cell("", origin))
            continue
        label, tokens = _split_line(line.text)
        if not label and len(tokens) > 1 and _whole_row_on_one_line(cells):
            close_row()  # a second row of numbers on a line of its own: its label was lost or moved
        if label:
            if cells:
                close_row()
            label_lines.append(label)
            label_origins.append(origin)
        if len(tokens) > 1 or label and tokens:
            # a row's numbers set on one line: the empty lines before them were spacing, not cells
            while cells and is_blank_line(cells[-1]):
                cells.pop()
        for token, glued in tokens:
            cells.append(Cell(token, Origin(source=doc.source, raw=line.text, line=line.origin.line), glued))
    close_row()
    if not any(_blank_line_inside(row) for row in rows):
        rows = [_trim_blank_tails(row) for row in rows]
    return RowSequence(source=doc.source, rows=tuple(rows), text_lines=tuple(text_lines))


def _whole_row_on_one_line(cells: list[Cell]) -> bool:
    """The cells so far are one line's numbers (a table row as an extractor writes it)."""
    lines = {cell.origin.line for cell in cells if not is_blank_line(cell)}
    return len(lines) == 1 and sum(1 for cell in cells if not is_blank_line(cell)) > 1


def is_blank_line(cell: Cell) -> bool:
    """A cell that is an empty line of the text (not a blank written between `|`s)."""
    return not cell.text and not cell.origin.raw.strip()


def _blank_line_inside(row: LabeledRow) -> bool:
    """An empty line between a row's numbers: this text keeps each blank cell as an empty line."""
    seen = [is_blank_line(cell) for cell in row.cells]
    return any(blank and not all(seen[i:]) for i, blank in enumerate(seen))


def _trim_blank_tails(row: LabeledRow) -> LabeledRow:
    """Where the text writes no blank cell as an empty line, blank lines after a row's last number
    are paragraph spacing, not cells. (Where it does, they may be the row's last cells: the row's
    width, known to `table_recon`, says how many.)"""
    cells = list(row.cells)
    while cells and is_blank_line(cells[-1]):
        cells.pop()
    if len(cells) == len(row.cells):
        return row
    return LabeledRow(row.label_lines, row.label_origins, tuple(cells), row.exact, row.page)
