"""A text file becomes a page of lines (a `FlowPage`, each line's origin giving its number):
decoding (UTF-8 with or without BOM, UTF-16, GB18030/GBK) and a refusal of files that are not
text at all."""

from __future__ import annotations

from pathlib import Path

from disclosure.ocr.byte_order import decode_marked
from disclosure.ocr.errors import InputError, reading
from disclosure.ocr.origin import Origin
from disclosure.ocr.page_model import FlowPage, PageDocument, PageLine

# GB18030 is a superset of GBK and GB2312, so one decoder covers the government files.
_FALLBACK_ENCODINGS = ("gb18030", "big5")
MAX_TEXT_BYTES = 64 * 1024 * 1024


def decode_text(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name); raise InputError for bytes that are not text."""
    if not data.strip():
        raise InputError("the file is empty")
    if (marked := decode_marked(data)) is not None:
        return marked
    if b"\x00" in data[:4096]:
        raise InputError("the file is binary, not text (it contains NUL bytes)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    text = decode_mostly(data, "utf-8")
    if text is not None:  # a few bytes damaged in transfer: the rest is still the report
        return text, "utf-8 (damaged bytes replaced)"
    for encoding in _FALLBACK_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text, encoding
    raise InputError("the file is neither UTF-8 nor GB18030/GBK text; convert it to UTF-8")


def decode_mostly(data: bytes, encoding: str, share: float = 0.005) -> str | None:
    """The bytes decoded with the few that do not decode replaced, or None where more than `share`
    of the characters would be replaced (the bytes are in another encoding)."""
    try:
        text = data.decode(encoding, errors="replace")
    except LookupError:
        return None
    return text if text.count("\ufffd") <= share * max(len(text), 1) else None


def _looks_like_text(text: str) -> bool:
    """Reject byte soup that happens to decode: mostly control characters or private-use code points."""
    if not text:
        return False
    bad = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\r\n\t\f") or 0xE000 <= ord(ch) <= 0xF8FF)
    return bad / len(text) < 0.02


def read_text_document(path: Path) -> PageDocument:
    with reading(path):
        size = path.stat().st_size
        if size > MAX_TEXT_BYTES:
            raise InputError(f"the text file is {size // 2**20} MiB; reports are far smaller")
        data = path.read_bytes()
    return text_document_from_bytes(data, source=path.name)


def text_document_from_bytes(data: bytes, source: str) -> PageDocument:
    text, encoding = decode_text(data)
    if not _looks_like_text(text):
        raise InputError("the file is binary, not text")
    return text_document(text.splitlines(), source, encoding)


def text_document(lines: list[str], source: str, encoding: str | None = None) -> PageDocument:
    """Lines of text as one page, numbered from 1 as an editor shows them."""
    flow = tuple(PageLine(line, Origin(source, line, line=number)) for number, line in enumerate(lines, start=1))
    return PageDocument(source, (FlowPage(1, flow),), 1, encoding=encoding)
