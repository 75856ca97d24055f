"""An HTML page becomes one `FlowPage`: its paragraphs and tables in document order.

Tables come from their markup, not from how a browser would draw them: rowspan and colspan make a
grid in which a covered position is None (as a merged cell is in a PDF's grid), a cell's text
keeps its `<p>`/`<br>` breaks as line breaks, `&nbsp;` is a space. A table holding other tables
is a layout table: its cells are read as flow, the inner tables as tables. Every cell keeps its
table, row and column number (from 1, in document order) and its text as provenance.

Pictures (`<img>`) are handed on as `Picture`s with their bytes where the page carries them (a
file saved beside the page, a `data:` URI, a part of an MHTML archive), for the scan path.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from disclosure.ocr.byte_order import decode_marked
from disclosure.ocr.errors import InputError
from disclosure.ocr.origin import Origin
from disclosure.ocr.page_model import FlowPage, Grid, GridCell, PageDocument, PageLine, Picture
from disclosure.ocr.text_file import decode_mostly

MAX_HTML_BYTES = 32 * 1024 * 1024
MAX_SPAN = 64  # a rowspan or colspan beyond any report table's size is a typo or an attack
MAX_GRID_CELLS = 20_000
_BLOCKS = frozenset({"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section",
                     "article", "header", "footer", "nav", "tr", "table", "blockquote", "pre", "center",
                     "dd", "dt", "dl", "hr", "form", "main", "aside", "title", "caption"})
_SKIPPED = frozenset({"script", "style", "noscript", "template", "head", "iframe", "svg", "object"})
_SPACES_RE = re.compile(r"[ \t\r\f\v\u00a0\u3000]+")  # every space but a line break
_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)""", re.I)

# A picture's bytes by its reference in the page: `src` as written -> bytes, or None if absent.
PictureLoader = Callable[[str], bytes | None]


def decode_html(data: bytes) -> tuple[str, str]:
    """The page's text and the encoding it was read in: a byte-order mark, then the charset the
    page declares, then UTF-8, then GB18030 (a superset of GBK and GB2312, which many government
    sites serve without declaring it)."""
    if (marked := decode_marked(data)) is not None:
        return marked
    declared = _CHARSET_RE.search(data[:4096])
    candidates = ["utf-8", "gb18030"]
    if declared:
        name = declared.group(1).decode("ascii", "replace").lower()
        name = "gb18030" if name in ("gbk", "gb2312", "gb_2312-80", "x-gbk", "cp936") else name
        candidates.insert(0, name)
    for encoding in dict.fromkeys(candidates):
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError):
            continue
    for encoding in dict.fromkeys(candidates):  # a few bytes damaged in transfer
        text = decode_mostly(data, encoding)
        if text is not None:
            return text, encoding
    # a page cut off inside a character, or mixing encodings: keep what decodes
    return data.decode(candidates[0] if candidates[0] != "utf-8" else "gb18030", errors="replace"), "mixed"


@dataclass
class _Flow:
    """Builds the flow of one page as the tree is walked (local to one `read_html_text` call)."""

    source: str
    pictures: PictureLoader
    pieces: list
    buffer: list[str]
    tables: int = 0
    paragraphs: int = 0

    def flush(self) -> None:
        text = _SPACES_RE.sub(" ", "".join(self.buffer)).strip()
        self.buffer.clear()
        for line in (part.strip() for part in text.split("\n")):
            if line:
                self.paragraphs += 1
                self.pieces.append(PageLine(line, Origin(self.source, line, line=self.paragraphs)))

    def picture(self, src: str) -> None:
        data = self.pictures(src) if src else None
        if data:
            self.flush()
            name = Path(urlsplit(src).path).name or "picture"
            self.pieces.append(Picture(name if not src.startswith("data:") else "inline-picture", data))


def _is_table_nested_layout(table) -> bool:
    return table.find("table") is not None


def _own_rows(table) -> list:
    """The rows of this table, not of tables nested in it."""
    return [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]


def _span(cell, name: str) -> int:
    try:
        return max(1, min(int(str(cell.get(name, "1")).strip() or 1), MAX_SPAN))
    except ValueError:
        return 1


def cell_text(cell) -> str:
    """A cell's text with its paragraph and line breaks as newlines, spaces collapsed."""
    parts: list[str] = []
    for node in cell.descendants:
        if getattr(node, "name", None) in ("br", "p", "div", "li"):
            parts.append("\n")
        elif isinstance(node, str) and node.parent.name not in _SKIPPED and type(node).__name__ == "NavigableString":
            parts.append(node)
    text = _SPACES_RE.sub(" ", "".join(parts))
    return "\n".join(line.strip() for line in text.split("\n") if line.strip())


def table_grid(table, number: int, source: str) -> Grid | None:
    """The table's grid; None for a table of one cell or none (page layout, not data)."""
    rows = _own_rows(table)
    occupied: dict[tuple[int, int], GridCell] = {}
    width = 0
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr.find_all(["td", "th"], recursive=False):
            while (r, c) in occupied:
                c += 1
            text = cell_text(cell)
            rowspan, colspan = _span(cell, "rowspan"), _span(cell, "colspan")
            if len(occupied) + rowspan * colspan > MAX_GRID_CELLS:
                raise InputError(f"{source}: table {number} spans more than {MAX_GRID_CELLS} cells; "
                                 f"the page is damaged")
            for dr in range(rowspan):
                for dc in range(colspan):
                    occupied[(r + dr, c + dc)] = GridCell(None, None)
            occupied[(r, c)] = GridCell(text, Origin(source, text, cell=(number, r + 1, c + 1)))
            c += colspan
            width = max(width, c)
    height = len(rows)
    if height * width <= 1:
        return None
    grid = tuple(tuple(occupied.get((r, c), GridCell(None, None)) for c in range(width)) for r in range(height))
    return Grid(None, grid)


def _walk(node, flow: _Flow) -> None:
    name = getattr(node, "name", None)
    if name is None:
        if type(node).__name__ == "NavigableString":
            flow.buffer.append(str(node))
        return
    if name in _SKIPPED:
        return
    if name == "img":
        flow.picture(str(node.get("src") or ""))
        return
    if name == "table":
        flow.flush()
        if _is_table_nested_layout(node):
            for child in node.children:
                _walk(child, flow)
            flow.flush()
            return
        flow.tables += 1
        grid = table_grid(node, flow.tables, flow.source)
        if grid is not None:
            flow.pieces.append(grid)
            for image in node.find_all("img"):
                flow.picture(str(image.get("src") or ""))
        else:
            for child in node.children:
                _walk(child, flow)
            flow.flush()
        return
    block = name in _BLOCKS or name in ("td", "th")
    if block:
        flow.buffer.append("\n")
    for child in node.children:
        _walk(child, flow)
    if block:
        flow.buffer.append("\n")


def read_html_text(text: str, source: str, pictures: PictureLoader = lambda src: None) -> PageDocument:
    """The page as a one-page document whose `flow` holds its paragraphs and tables in order."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(text, "lxml")
    root = soup.body or soup
    flow = _Flow(source, pictures, [], [])
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    if title:
        flow.buffer.append(title + "\n")
    _walk(root, flow)
    flow.flush()
    if not any(isinstance(p, (PageLine, Grid)) for p in flow.pieces):
        raise InputError(f"{source} has no text: not a page with a report (an empty or damaged page?)")
    return PageDocument(source, (FlowPage(1, tuple(flow.pieces)),), 1)


def _beside(path: Path) -> PictureLoader:
    """Pictures saved beside the page (a browser's "Save page, complete" folder) or inline."""
    folder = path.parent.resolve()

    def load(src: str) -> bytes | None:
        if src.startswith("data:"):
            return _data_uri(src)
        parts = urlsplit(src)
        if parts.scheme not in ("", "file"):
            return None
        target = (path.parent / unquote(parts.path)).resolve()
        # never reach outside the page's folder through "../"
        if folder not in target.parents or not target.is_file() or target.stat().st_size > MAX_HTML_BYTES:
            return None
        return target.read_bytes()

    return load


def _data_uri(src: str) -> bytes | None:
    head, _, payload = src.partition(",")
    if not head.endswith(";base64"):
        return None
    try:
        return base64.b64decode(payload, validate=False)
    except ValueError:
        return None


def read_html(path: Path) -> PageDocument:
    size = path.stat().st_size
    if size > MAX_HTML_BYTES:
        raise InputError(f"{path.name} is {size // 2**20} MiB of HTML; a report page is far smaller")
    text, _ = decode_html(path.read_bytes())
    return read_html_text(text, path.name, _beside(path))
