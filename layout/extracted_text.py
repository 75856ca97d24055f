"""Text that a PDF-to-markdown extractor made, brought to the lines `flat_rows` reads.

Extractors cut a printed table into pipe-table fragments and get its cells wrong in a few set
ways, which this undoes line by line, keeping each line's number:

- a cell written over several lines inside one cell (`商业<br>企业`) is one cell;
- neighbouring cells joined with a space (`| 21 0 |`) are several cells, when each part is a value;
- a merged cell repeated once per column it spans (`|行政许可|550|550|550|` under a header whose
  cells repeat the same way) is one cell;
- label cells repeated, split (`| 4.无正当理由大量反复 | | 申请 |`) or standing after empty
  spacer columns (`| | | 3.补正后申请内容仍不明确 | | 0 |`) are one label in front;
- a row of cells that holds no number (a header, a label whose numbers went to the next line) is
  text, not a row: only its label remains;
- a page footer set inside a pipe row (`| - 3 | - |`) and a markdown heading's `#` are furniture.

What stays for later: which statutory row a row of numbers without a label is (the rows' order
and the label fragments around it decide, in `table_recon.row_align`).
"""

from __future__ import annotations

import re

from disclosure.layout.cell_text import CellKind, is_value_text, may_be_joined_cells, normalize_text, parse_cell
from disclosure.ocr.page_model import PageDocument, PageLine

_RULE_RE = re.compile(r"^\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?$")
_BREAK_RE = re.compile(r"<br\s*/?>", re.IGNORECASE)
_HEADING_RE = re.compile(r"^#{1,6}\s+")
_EMPHASIS_RE = re.compile(r"\*\*|__")
_PAGE_RE = re.compile(r"^(?:[-—–~]*\d{1,3}[-—–~]*|第\d{1,3}页(?:共\d{1,3}页)?)$")
# a generated column name standing for a lost header (pymupdf4llm's `Col2`)
# a page number set apart by a space from its dashes (`- 3 -`, `- 3`): "-3" in a cell is a number
_FOOTER_RE = re.compile(r"^\s*[-—–]\s+\d{1,3}(?:\s*[-—–])?\s*$|^\s*[-—–]\s*\d{1,3}\s*[-—–]\s*$")
_PLACEHOLDER_RE = re.compile(r"^Col\d+$")


def _cells(text: str) -> list[str]:
    framed = text.strip()[1:-1]
    return [_BREAK_RE.sub("", cell).strip() for cell in framed.split("|")]


def _is_number(cell: str) -> bool:
    return parse_cell(cell).kind is CellKind.NUMBER or may_be_joined_cells(cell)


def _value_parts(cell: str) -> list[str] | None:
    """A cell as the value cells it holds: one, or several joined with spaces (`3001 53`); None
    for text."""
    if is_value_text(cell) or may_be_joined_cells(cell):
        return [cell]
    parts = cell.split()
    if len(parts) > 1 and all(is_value_text(part) or may_be_joined_cells(part) for part in parts):
        return parts
    return None


def _spans(headers: list[list[str]], width: int) -> list[tuple[int, int]]:
    """Runs of columns that every header row above prints as one repeated cell: one merged cell."""
    usable = [row for row in headers if len(row) == width]
    if not usable:
        return []
    spans, start = [], 0
    for i in range(1, width + 1):
        if i == width or any(row[i] != row[start] or not row[i] for row in usable):
            if i - start > 1:
                spans.append((start, i))
            start = i
    return spans


def _collapse_spans(cells: list[str], spans: list[tuple[int, int]]) -> list[str]:
    out, i = [], 0
    for start, end in spans:
        out += cells[i:start]
        same = len(set(cells[start:end])) == 1
        out += cells[start:start + 1] if same else cells[start:end]
        i = end
    return out + cells[i:]


def _dedupe(texts: list[str]) -> list[str]:
    out: list[str] = []
    for text in texts:
        if text and (not out or out[-1] != text):
            out.append(text)
    return out


def _row_line(cells: list[str]) -> str | None:
    """A pipe row as one line `flat_rows` reads: `| label | v | v |`, the label alone (no number in
    the row), or None (nothing at all, or a page footer)."""
    last_text = _label_end(cells)
    label_cells = [c for c in cells[:last_text + 1] if c and not _PLACEHOLDER_RE.match(c)]
    parts = [_value_parts(cell) or [cell] for cell in cells[last_text + 1:]]
    values = [part for cell in parts for part in cell]
    if any(len(cell) > 1 for cell in parts):
        # two numbers in one cell: the extractor's columns are off in this row, so where its empty
        # cells stand says nothing; they are left out and the rules place the row's blanks
        values = [value for value in values if value.strip()]
    label = "".join(_dedupe(label_cells))
    if not any(_is_number(v) for v in values) and not (label and values and all(normalize_text(v) for v in values)):
        # no number: a header, or a label whose numbers the extractor set on another line; cells
        # all written as empty markers (`/`, `—`) are a row printed blank
        if _PAGE_RE.match(normalize_text("".join(cells))):
            return None
        return label or None
    if not label and _PAGE_RE.match(normalize_text("".join(cells))) and sum(map(_is_number, values)) == 1 \
            and any(ch in "".join(cells) for ch in "-—–"):
        return None  # `| - 3 | - |`: a page number cut into cells
    return "| " + " | ".join([label, *values] if label else values) + " |"


def _label_end(cells: list[str]) -> int:
    """The index of a pipe row's last text cell (its label's end), -1 where it has none."""
    return max((i for i, c in enumerate(cells) if c and _value_parts(c) is None), default=-1)


def _spacer_columns(rows: list[list[str]]) -> frozenset[int]:
    """The columns of one pipe table that no row of numbers prints a value in, where the extractor's
    grid is not the table's: its rows, with labels in different columns, leave different numbers of
    cells after their label. An empty cell there is a gap the extractor inferred, not a blank cell.
    A table of one or two rows says too little: a column blank in every row may be a real one."""
    data = [row for row in rows if any(_is_number(c) for c in row)]
    if len(data) < 3 or len({len(row) - _label_end(row) for row in data}) == 1:
        return frozenset()
    valued = {i for row in data for i, c in enumerate(row) if i > _label_end(row) and c}
    return frozenset(range(len(rows[0]))) - valued


def _tables(lines: list[str]) -> dict[int, frozenset[int]]:
    """For each pipe row (by index), the spacer columns of the table it is in: a run of pipe rows
    of the same width, markdown rules between them aside."""
    out: dict[int, frozenset[int]] = {}
    run: list[int] = []

    def close() -> None:
        spacers = _spacer_columns([_cells(lines[i]) for i in run])
        out.update({i: spacers for i in run})
        run.clear()

    for i, text in enumerate(lines):
        if _RULE_RE.match(text.strip()):
            continue
        if _is_pipe_row(text) and (not run or len(_cells(text)) == len(_cells(lines[run[-1]]))):
            run.append(i)
            continue
        close()
        if _is_pipe_row(text):
            run.append(i)
    close()
    return out


def _is_pipe_row(text: str) -> bool:
    """A framed markdown row (`| a | b |`); html2text's unframed rows (` | b|`, a blank cell before
    the first pipe) are `flat_rows`' own."""
    stripped = text.strip()
    return len(stripped) > 2 and stripped.startswith("|") and stripped.endswith("|")


def normalize_extracted(doc: PageDocument) -> PageDocument:
    """The document with its pipe rows cleaned as the module says; a text without pipe rows or
    markdown headings comes back as it was."""
    given = doc.flow_lines()
    if not any(_is_pipe_row(line.text) or _HEADING_RE.match(line.text) for line in given):
        return doc
    lines: list[PageLine] = []
    headers: list[list[str]] = []  # the header rows over the next row of numbers
    after_numbers = False
    texts = [_EMPHASIS_RE.sub("", _HEADING_RE.sub("", line.text)) for line in given]
    spacers = _tables(texts)
    for index, (line, text) in enumerate(zip(given, texts)):
        if _RULE_RE.match(text.strip()):
            continue
        if _FOOTER_RE.match(text):
            continue
        if not _is_pipe_row(text):
            headers = [] if text.strip() else headers
            lines.append(PageLine(text, line.origin))
            continue
        cells = _cells(text)
        if spacers.get(index):
            cells = [c for i, c in enumerate(cells) if c or i not in spacers[index]]
        if not any(_is_number(c) for c in cells):
            headers = [cells] if after_numbers else [*headers, cells]
            after_numbers = False
        else:
            cells = _collapse_spans(cells, _spans(headers, len(cells)))
            after_numbers = True
        row = _row_line(cells)
        if row is not None:
            lines.append(PageLine(row, line.origin))
    return doc.with_lines(tuple(lines))
