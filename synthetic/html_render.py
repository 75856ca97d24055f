"""Synthetic reports published as web pages, in the styles agencies' sites serve them.

Every page sits inside a site's chrome (navigation, 字号 大 中 小, 打印, 关闭, a footer with
numbers of its own). Styles vary what the web does to the tables (`HtmlStyle`): Word-exported
markup (`<p class=MsoNormal>` and `<span>` in cells, numbers split over runs, `&nbsp;` blanks,
header cells broken by `<br>`), table 二's data rows spanning other columns than their header's,
a footnote row under table 二, table 三 split over two `<table>` elements, the whole report nested
in a layout table, table 三's 总计 column left blank for its detail rows (which the truth then
carries: those rows' sums fail as printed), GBK with or without a declared charset, and the
tables published as pictures.
"""

from __future__ import annotations

import base64
import html
import random
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from disclosure.table_recon.rules import build_rules, evaluate_all
from synthetic.report_text import CLOSING_TEXT, format_number, narrative, printed_tables, title_lines
from synthetic.table_grids import SECTION_HEADINGS, Grid, active_grids, appeal_grid, apply_grid
from synthetic.values import Truth, Value


@dataclass(frozen=True)
class HtmlStyle:
    name: str
    word: bool = False  # Word-exported markup
    empty: str = ""  # how an empty cell prints ("" is `&nbsp;` in Word markup)
    spanning_values: bool = False  # table 二's values span other columns than their headers
    footnote: bool = False
    split_apply_at: int | None = None  # table 三 continues in a second <table> from this row
    nested: bool = False  # the report inside a page-layout table
    blank_totals: bool = False  # table 三's 总计 column blank for the outcome rows
    encoding: str = "utf-8"
    declare_charset: bool = True
    pictures: bool = False  # the tables as pictures (data: URIs), the prose as text
    one_line: bool = True  # no line breaks in the markup (as most sites serve it)


HTML_STYLES: dict[str, HtmlStyle] = {s.name: s for s in (
    HtmlStyle("plain", one_line=False),
    HtmlStyle("word", word=True, spanning_values=True, footnote=True),
    HtmlStyle("word_blank_totals", word=True, spanning_values=True, blank_totals=True),
    HtmlStyle("split", split_apply_at=12, nested=True, empty="/", one_line=False),
    HtmlStyle("gbk", word=True, encoding="gb18030", empty="-"),
    HtmlStyle("gbk_undeclared", encoding="gb18030", declare_charset=False, footnote=True, empty="—"),
)}
PICTURE_STYLE = HtmlStyle("pictures", pictures=True)

NAVIGATION = "当前位置：首页 &gt; 政府信息公开 &gt; 政府信息公开年报 &gt; 正文"
TOOLS = "字号：<a href='#'>大</a> <a href='#'>中</a> <a href='#'>小</a> <a href='#'>打印</a> <a href='#'>关闭</a>"
FOOTNOTE = "注：表中数据统计期限为本年度1月1日至12月31日。"
_CELL_STYLE = "border:solid windowtext 1.0pt;padding:0cm 5.4pt 0cm 5.4pt"


def blank_total_column(truth: Truth) -> Truth:
    """The truth of a page whose table 三 leaves 总计 blank on its outcome rows, with the rules
    that then fail as printed."""
    apply = truth.format.table("apply")
    values = dict(truth.values)
    for row in apply.rows:
        if row.outcome and not row.collapses:
            values[f"apply.{row.key}.total"] = None
    failing = frozenset(check.rule for check in evaluate_all(build_rules(truth.format),
                                                              {k: 0 if v is None else v for k, v in values.items()})
                        if check.ok is False)
    return replace(truth, values=values, failing_rules=failing)


def page_truth(truth: Truth, style: HtmlStyle) -> Truth:
    """What a page of this style prints."""
    return blank_total_column(truth) if style.blank_totals else truth


class _Writer:
    def __init__(self, style: HtmlStyle, seed: int) -> None:
        self.style = style
        self.rng = random.Random(seed)

    def value(self, value: Value) -> str:
        return format_number(value, self.rng, thousands=False, fullwidth=False, stray=False, empty=self.style.empty)

    def text(self, text: str, header: bool = False) -> str:
        """A cell's content as markup."""
        if self.style.word:
            if not text:
                return "<p class=MsoNormal align=center style='text-align:center'><span lang=EN-US>&nbsp;</span></p>"
            body = html.escape(text)
            if header and len(text) >= 5 and not text.startswith("（本列"):
                body = html.escape(text[:3]) + "<br>" + html.escape(text[3:])
            elif len(text) >= 4 and not text[-1].isdigit() and self.rng.random() < 0.5:
                cut = self.rng.randint(1, len(text) - 1)  # Word splits a label over two runs
                body = f"{html.escape(text[:cut])}</span><span lang=ZH-CN style='font-size:10.5pt'>{html.escape(text[cut:])}"
            return (f"<p class=MsoNormal align=center style='text-align:center'><span lang=EN-US "
                    f"style='font-size:10.5pt;font-family:仿宋_GB2312'>{body}<o:p></o:p></span></p>")
        return html.escape(text) if text else ""

    def table(self, grid: Grid, header_rows: int = 0) -> str:
        attributes = " class=MsoNormalTable border=1 cellspacing=0 cellpadding=0" if self.style.word else " border='1'"
        rows = []
        for r, cells in enumerate(grid):
            out = []
            for text, colspan, rowspan in cells:
                spans = (f" colspan={colspan}" if colspan > 1 else "") + (f" rowspan={rowspan}" if rowspan > 1 else "")
                style = f" style='{_CELL_STYLE}'" if self.style.word else ""
                tag = "th" if r < header_rows and not self.style.word else "td"
                out.append(f"<{tag}{spans}{style}>{self.text(text, header=r < header_rows)}</{tag}>")
            rows.append("<tr>" + "".join(out) + "</tr>")
        return f"<table{attributes}><tbody>" + self._join(rows) + "</tbody></table>"

    def paragraph(self, text: str) -> str:
        if self.style.word:
            return f"<p class=MsoNormal style='text-indent:32.0pt'><span style='font-family:仿宋_GB2312'>{html.escape(text)}</span></p>"
        return f"<p>{html.escape(text)}</p>"

    def _join(self, parts: list[str]) -> str:
        return ("" if self.style.one_line else "\n").join(parts)


def _spanning(grid: Grid, columns: int) -> Grid:
    """Table 二 block with its first value column two wide in the data rows and its second two wide
    in the header: a data row's cells span other columns than its header's."""
    if columns < 2:
        return grid
    out: Grid = [[(grid[0][0][0], columns + 2, 1)]]
    header = grid[1]
    out.append([header[0], header[1], (header[2][0], 2, 1), *header[3:]])
    for row in grid[2:]:
        out.append([row[0], (row[1][0], 2, 1), *row[2:]])
    return out


def _tables(writer: _Writer, truth: Truth) -> list[str]:
    style = writer.style
    parts = [writer.paragraph(SECTION_HEADINGS[1])]
    blocks = active_grids(truth, writer.value)
    for index, (columns, grid) in enumerate(blocks):
        grid = _spanning(grid, columns) if style.spanning_values else grid
        if style.footnote and index == len(blocks) - 1:
            grid = grid + [[(FOOTNOTE, columns + (2 if style.spanning_values and columns >= 2 else 1), 1)]]
        parts.append(writer.table(grid, header_rows=2))
    parts.append(writer.paragraph(SECTION_HEADINGS[2]))
    rows = printed_tables(truth)[1].rows
    cut = style.split_apply_at or len(rows)
    parts.append(writer.table(apply_grid(rows[:cut], True, writer.value), header_rows=3))
    if cut < len(rows):
        parts.append(writer.table(apply_grid(rows[cut:], False, writer.value)))
    parts.append(writer.paragraph(SECTION_HEADINGS[3]))
    parts.append(writer.table(appeal_grid(truth, writer.value), header_rows=3))
    return parts


def picture_pages(truth: Truth, seed: int) -> list[tuple[str, bytes]]:
    """The report typeset as a PDF, its pages as PNG pictures (name, bytes): what a site shows when
    it publishes a scan or a screenshot of the tables."""
    import pypdfium2

    from synthetic.pdf_render import PDF_STYLES, render_pdf

    with tempfile.TemporaryDirectory() as folder:
        pdf = render_pdf(truth, PDF_STYLES["portrait"], Path(folder) / "report.pdf", seed)
        document = pypdfium2.PdfDocument(str(pdf))
        pictures = []
        for index in range(len(document)):
            picture = Path(folder) / f"page{index + 1}.png"
            document[index].render(scale=200 / 72).to_pil().convert("RGB").save(picture)
            pictures.append((picture.name, picture.read_bytes()))
        document.close()
    return pictures


def _picture_tags(pictures: list[tuple[str, bytes]], folder: str | None) -> list[str]:
    """`<img>` tags for the pictures: inline as data: URIs, or files in `folder` beside the page."""
    tags = []
    for name, data in pictures:
        src = f"{folder}/{name}" if folder is not None else f"data:image/png;base64,{base64.b64encode(data).decode('ascii')}"
        tags.append(f"<p><img src='{src}' alt='{name}'></p>")
    return tags


def render_html(truth: Truth, style: HtmlStyle, seed: int = 0, pictures: list[tuple[str, bytes]] | None = None,
                picture_folder: str | None = None) -> bytes:
    """The page's bytes, in the style's encoding. The values printed are `page_truth(truth, style)`'s.
    A picture style shows `pictures` (default: `picture_pages`), inline or as files in
    `picture_folder` beside the page."""
    truth = page_truth(truth, style)
    writer = _Writer(style, seed)
    title = "".join(title_lines(truth))
    body = [f"<div class='title'><h1>{html.escape(title)}</h1></div>"]
    if style.pictures:
        body += _picture_tags(pictures if pictures is not None else picture_pages(truth, seed), picture_folder)
    else:
        body += [writer.paragraph(SECTION_HEADINGS[0]), writer.paragraph(narrative(truth))]
        body += _tables(writer, truth)
        body += [writer.paragraph(line) for line in CLOSING_TEXT]
    content = writer._join(body)
    if style.nested:
        content = (f"<table width='100%' class='layout'><tr><td class='side'><ul><li>政务公开</li><li>政府信息公开年报</li>"
                   f"</ul></td><td class='main'>{content}</td></tr></table>")
    charset = "gb2312" if style.encoding == "gb18030" else style.encoding
    meta = f"<meta http-equiv='Content-Type' content='text/html; charset={charset}'>" if style.declare_charset else ""
    page = writer._join([
        "<!DOCTYPE html>", f"<html><head>{meta}<title>{html.escape(title)}</title>",
        "<style>td{font-size:14px}</style><script>var _hmt=_hmt||[];</script></head><body>",
        f"<div class='nav'>{NAVIGATION}</div>", f"<div class='tools'>{TOOLS}</div>",
        f"<div class='article'>{content}</div>",
        f"<div class='footer'>主办单位：{html.escape(truth.agency)} 网站标识码：3301000012 浙ICP备05012345号 "
        f"联系电话：0571-87051234</div>", "</body></html>"])
    return page.encode(style.encoding)


def render_mhtml(truth: Truth, seed: int = 0) -> bytes:
    """A single-file page (MHTML) whose tables are pictures carried as parts of the archive."""
    from email.mime.image import MIMEImage
    from email.mime.multipart import MIMEMultipart
    from email.mime.text import MIMEText

    pictures = picture_pages(truth, seed)
    page = render_html(truth, PICTURE_STYLE, seed, pictures, picture_folder="http://www.example.gov.cn/images")
    archive = MIMEMultipart("related", type="text/html")
    archive["Subject"] = "".join(title_lines(truth))
    part = MIMEText(page.decode("utf-8"), "html", "utf-8")
    part["Content-Location"] = "http://www.example.gov.cn/art/report.html"
    archive.attach(part)
    for name, data in pictures:
        image = MIMEImage(data, "png")
        image["Content-Location"] = f"http://www.example.gov.cn/images/{name}"
        archive.attach(image)
    return archive.as_bytes()
