"""What kind of document a file is, from its first bytes (and, where bytes alone cannot tell, its
name): crawled archives hold `.doc` files that are HTML, `.htm` files that are MHTML, and
reports renamed at will."""

from __future__ import annotations

import enum
import re
from pathlib import Path

from disclosure.ocr.byte_order import unmarked_head
from disclosure.ocr.errors import UnsupportedInput, reading


class InputKind(enum.Enum):
    TEXT = "text"
    PDF = "pdf"
    IMAGE = "image"
    HTML = "html"
    MHTML = "mhtml"
    DOCX = "docx"
    BINARY_WORD = "binary_word"  # .doc or .wps: converted by LibreOffice


_PDF_MAGIC = b"%PDF"
_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"BM")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*"
                         rb"<(?:!doctype\s+html|html|head|body|meta|table|title)\b",
                         re.I | re.S)
_MHTML_HEAD = re.compile(rb"^(?:[\w-]+:[^\n]*\r?\n|[ \t][^\n]*\r?\n)*?content-type:\s*multipart/related", re.I)
_HTML_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml")
_HEAD_BYTES = 4096


def sniff_kind(path: Path) -> InputKind:
    with reading(path), path.open("rb") as handle:
        head = handle.read(_HEAD_BYTES)
    if head.startswith(_PDF_MAGIC):
        return InputKind.PDF
    if head.startswith(_IMAGE_MAGIC):
        return InputKind.IMAGE
    if head.startswith(_ZIP_MAGIC):
        return InputKind.DOCX  # the Word reader says what other archives are
    if head.startswith(_OLE_MAGIC):
        if path.suffix.lower() in (".xls", ".ppt"):
            raise UnsupportedInput(f"{path.name} is an Excel or PowerPoint file; reports are read from "
                                   f"Word, PDF, HTML, text or images")
        return InputKind.BINARY_WORD
    text = unmarked_head(head)
    if _MHTML_HEAD.match(text) or (path.suffix.lower() in (".mht", ".mhtml") and b"multipart/" in text.lower()):
        return InputKind.MHTML
    if _HTML_START.match(text):
        return InputKind.HTML
    if path.suffix.lower() in _HTML_SUFFIXES and b"<" in text and re.search(rb"<(?:p|div|table|span|br)\b", text, re.I):
        return InputKind.HTML
    return InputKind.TEXT
