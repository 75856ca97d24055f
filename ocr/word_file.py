"""A Word file becomes one `FlowPage`: its paragraphs and tables in document order.

`.docx` is read with python-docx. A cell merged across columns (gridSpan) or down rows (vMerge)
appears once, at its top-left position; the positions it covers are None, as a merged cell is in
a PDF's grid. `.doc` and `.wps` (binary formats) are converted to `.docx` by LibreOffice first,
headless, in a temporary folder and profile, with a time limit.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from disclosure.ocr.errors import InputError, UnsupportedInput
from disclosure.ocr.origin import Origin
from disclosure.ocr.page_model import FlowPage, Grid, GridCell, PageDocument, PageLine, Picture

MAX_UNPACKED_BYTES = 256 * 1024 * 1024  # a report's .docx unpacks to a few MiB; more is a zip bomb
MAX_RATIO = 200  # uncompressed / compressed: text compresses about 10:1, a bomb by thousands
CONVERT_TIMEOUT_S = 120
_INSTALL_HINT = "install LibreOffice to read it (Debian: apt-get install libreoffice-writer-nogui), or save it as .docx"


def _check_archive(path: Path) -> None:
    """Refuse what is not a Word archive, or would unpack to far more than any report."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            names = {info.filename for info in infos}
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        raise InputError(f"{path.name} is a damaged zip archive, not a readable Word file ({err})") from None
    if "word/document.xml" not in names:
        kind = "an Excel workbook" if "xl/workbook.xml" in names else \
            "a PowerPoint file" if "ppt/presentation.xml" in names else "a zip archive"
        raise UnsupportedInput(f"{path.name} is {kind}, not a Word document")
    unpacked = sum(info.file_size for info in infos)
    packed = max(sum(info.compress_size for info in infos), 1)
    if unpacked > MAX_UNPACKED_BYTES or unpacked / packed > MAX_RATIO and unpacked > 16 * 1024 * 1024:
        raise InputError(f"{path.name} would unpack to {unpacked // 2**20} MiB from {packed // 1024} KiB; "
                         f"refused as a zip bomb")


def _table_grid(table, number: int, source: str) -> Grid | None:
    rows = []
    above: list = []
    for r, row in enumerate(table.rows):
        cells = []
        current = [cell._tc for cell in row.cells]
        for c, cell in enumerate(row.cells):
            spanned = c > 0 and current[c - 1] is current[c]
            merged_down = c < len(above) and above[c] is current[c]
            if spanned or merged_down:
                cells.append(GridCell(None, None))
                continue
            text = "\n".join(p.text.strip() for p in cell.paragraphs if p.text.strip())
            text = text.replace("\u00a0", " ").replace("\u3000", " ")
            cells.append(GridCell(text, Origin(source, text, cell=(number, r + 1, c + 1))))
        above = current
        rows.append(tuple(cells))
    if not rows or sum(len(r) for r in rows) <= 1:
        return None
    width = max(len(r) for r in rows)
    return Grid(None, tuple(r + (GridCell(None, None),) * (width - len(r)) for r in rows))


def _pictures(paragraph, document) -> list[Picture]:
    """Pictures anchored in a paragraph (a table pasted as an image)."""
    found = []
    for blip in paragraph._p.xpath(".//a:blip"):
        rel = blip.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed")
        part = document.part.related_parts.get(rel) if rel else None
        if part is not None and hasattr(part, "blob"):
            found.append(Picture(Path(part.partname).name, part.blob))
    return found


def read_docx(path: Path, source: str | None = None) -> PageDocument:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    source = source or path.name
    _check_archive(path)
    try:
        document = docx.Document(str(path))
    except Exception as err:  # python-docx raises KeyError, ValueError, lxml errors for broken parts
        raise InputError(f"{source} is a damaged Word file ({type(err).__name__}: {err})") from None
    flow: list = []
    paragraphs = tables = 0
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            text = block.text.replace("\u00a0", " ").strip()
            if text:
                paragraphs += 1
                flow.append(PageLine(text, Origin(source, text, line=paragraphs)))
            flow.extend(_pictures(block, document))
        elif isinstance(block, Table):
            tables += 1
            grid = _table_grid(block, tables, source)
            if grid is not None:
                flow.append(grid)
    if not any(isinstance(p, (PageLine, Grid)) for p in flow):
        raise InputError(f"{source} has no text: an empty Word document")
    return PageDocument(source, (FlowPage(1, tuple(flow)),), 1)


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_binary_word(path: Path, timeout_s: float = CONVERT_TIMEOUT_S) -> PageDocument:
    """A `.doc` or `.wps` file, converted to `.docx` by LibreOffice, then read as one."""
    program = soffice()
    if program is None:
        raise UnsupportedInput(f"{path.name} is a binary Word/WPS file; {_INSTALL_HINT}")
    with tempfile.TemporaryDirectory(prefix="disclosure-soffice-") as folder:
        work = Path(folder)
        # a copy under a plain name: LibreOffice names its output after its input, and mishandles some
        # characters in paths
        original = work / ("input" + (path.suffix.lower() if path.suffix.lower() in (".doc", ".wps") else ".doc"))
        shutil.copyfile(path, original)
        command = [program, f"-env:UserInstallation=file://{work / 'profile'}", "--headless", "--norestore",
                   "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(work / "out"), str(original)]
        try:
            subprocess.run(command, cwd=work, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, timeout=timeout_s, start_new_session=True, check=False)
        except subprocess.TimeoutExpired:
            raise InputError(f"{path.name}: LibreOffice did not convert it within {timeout_s:.0f} s; "
                             f"the file may be damaged") from None
        converted = work / "out" / "input.docx"
        if not converted.is_file():
            raise InputError(f"{path.name}: LibreOffice could not convert it; the file is damaged or not "
                             f"a Word/WPS document")
        return read_docx(converted, source=path.name)
