"""Byte-order marks, read in one place for every reader that takes bytes as text (text files, web
pages) and for the sniffing that tells them apart."""

from __future__ import annotations

_UTF8 = b"\xef\xbb\xbf"
_UTF16 = (b"\xff\xfe", b"\xfe\xff")


def decode_marked(data: bytes) -> tuple[str, str] | None:
    """Bytes that open with a byte-order mark, decoded as the mark says, with the encoding's name;
    None where there is no mark. A mark is the writer's word for the encoding, so a damaged byte
    after it is replaced rather than taken as a sign of another encoding."""
    if data.startswith(_UTF8):
        return data[len(_UTF8):].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith(_UTF16):
        return data.decode("utf-16", errors="replace"), "utf-16"
    return None


def unmarked_head(head: bytes) -> bytes:
    """A file's first bytes without their mark, and UTF-16's NULs taken out: ASCII enough for the
    patterns that recognise an HTML or MHTML file."""
    if head.startswith(_UTF8):
        return head[len(_UTF8):]
    if head.startswith(_UTF16):
        return head[2:].replace(b"\x00", b"")
    return head
