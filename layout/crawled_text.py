"""Text a crawler extracted from a web page: each table run together on one line (or a few), labels
and numbers joined (`…信息内容本年制发件数本年废止件数现行有效件数规章1203行政规范性文件85279…`),
between the site's navigation and footer.

Such a run is cut back into one printed label per line before `flat_rows` reads it: at every
statutory label, heading and column header (the `RunVocabulary`, which the caller supplies from
the formats), a label's numbering ("2.", "（三）", "四、") going with it. What follows a label up
to the next is its row's values: separated by spaces where the extractor kept them, joined where it
did not, and then split by the rules. Only the tables are cut: prose before the first table
heading and after the tables stays one line, so its sentences still tie to the tables.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from disclosure.layout.extracted_text import normalize_extracted
from disclosure.ocr.page_model import PageDocument, PageLine

_NUMBERING = r"(?:[一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十]+\s*[）)]|\d\s*[、.．])?\s*"
_MIN_LABELS = 3  # a line naming fewer statutory labels is prose, not a table run
_MIN_RUN = 40  # characters: a shorter line is a printed line of its own already
# one table row between pipes, its label then its values: a printed row already, whatever its label
_ONE_ROW_RE = re.compile(r"^\|[^|]*(?:\|\s*[+\-]?[\d,.]*(?:万元|元)?\s*)+\|$")


@dataclass(frozen=True)
class RunVocabulary:
    """The words a run is cut at: every statutory label, group heading and column header
    (`labels`), the table headings (`headings`, which open a table, their numbering required) and
    the report's other section headings (`sections`: 一、总体情况 before the tables, those after
    them), each of which becomes a line of its own."""

    labels: tuple[str, ...]
    headings: tuple[str, ...]
    sections: tuple[str, ...]


def _tolerant(word: str, slack: bool = False) -> str:
    """A regular expression for a printed word: brackets and separators of either width, spaces
    anywhere; with `slack`, one stray character between any two (a heading's typo, 行政法复议:
    a heading is long enough to stay itself)."""
    out = []
    for ch in word:
        if ch in "（(":
            out.append(r"[（(]")
        elif ch in "）)":
            out.append(r"[）)]")
        elif ch in "、.．,，":
            out.append(r"[、.．,，]")
        elif ch in "“”\"":
            out.append(r"[“”\"]?")
        else:
            out.append(re.escape(ch))
    return (r"\s*(?:[\u4e00-\u9fff]\s*)??" if slack else r"\s*").join(out)


@functools.lru_cache(maxsize=8)
def _patterns(vocabulary: RunVocabulary) -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    def alternation(words, slack: bool = False) -> str:
        return "|".join(_tolerant(w, slack) for w in sorted(set(words), key=len, reverse=True))

    words = f"(?:{alternation(vocabulary.labels + vocabulary.sections)}|{alternation(vocabulary.headings, True)})"
    labels = re.compile(_NUMBERING + words)
    headings = re.compile(r"[一二三四五六七八九十]\s*[、.．]\s*" + f"(?:{alternation(vocabulary.headings, True)})")
    sections = re.compile(r"[一二三四五六七八九十]\s*[、.．]\s*" + f"(?:{alternation(vocabulary.sections)})")
    return labels, headings, sections


def _cuts(text: str, vocabulary: RunVocabulary) -> list[int]:
    """Where to break a line: before each label inside the tables, and at the table headings."""
    labels, headings, sections = _patterns(vocabulary)
    opened = [m.start() for m in headings.finditer(text)]
    # the other section headings, each a line of its own: the title above 一、总体情况 is read as
    # one, and the prose under the headings after the tables is no table
    closed = [cut for m in sections.finditer(text) for cut in m.span()]
    start = opened[0] if opened else 0
    end = min([cut for cut in closed if cut > start], default=len(text))
    found = [m.start() + len(m.group()) - len(m.group().lstrip()) for m in labels.finditer(text, start, end)]
    if not opened and len(found) < _MIN_LABELS:
        return []
    return sorted({*found, *opened, *closed} - {0, len(text)})


def split_line(text: str, vocabulary: RunVocabulary) -> list[str]:
    """A crawled line cut into printed lines; a line that is no table run comes back whole."""
    if len(text) < _MIN_RUN or _ONE_ROW_RE.match(text):
        return [text]
    cuts = _cuts(text, vocabulary)
    if not cuts:
        return [text]
    pieces = [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)])]
    # a cell separator before a cut belongs to neither side (`…|249|行政规范性文件|…`)
    pieces = [re.sub(r"\|\s*$", "", piece) for piece in pieces[:-1]] + pieces[-1:]
    return [piece for piece in pieces if piece.strip()]


def split_runs(doc: PageDocument, vocabulary: RunVocabulary) -> PageDocument:
    """The document with each table run cut into printed lines; every piece keeps its line's number.
    Pipe rows are made whole first: a cut inside one would part a row's label from its cells."""
    doc = normalize_extracted(doc)
    lines = []
    changed = False
    for line in doc.flow_lines():
        pieces = split_line(line.text, vocabulary)
        changed = changed or len(pieces) > 1
        lines += [PageLine(piece, line.origin) for piece in pieces]
    return doc.with_lines(tuple(lines)) if changed else doc
